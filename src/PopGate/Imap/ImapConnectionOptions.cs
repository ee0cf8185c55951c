namespace PopGate.Imap;

/// <summary>Where and how to reach an IMAP server.</summary>
public sealed record ImapConnectionOptions
{
    public string Host { get; init; } = "localhost";

    /// <summary>0 means the usual port: 993 with <see cref="ImapSecurity.Ssl"/>, else 143.</summary>
    public int Port { get; init; }

    public ImapSecurity Security { get; init; } = ImapSecurity.Ssl;

    /// <summary>Accept any certificate. Only for tests and trusted networks.</summary>
    public bool Insecure { get; init; }

    /// <summary>A pinned SHA-256 fingerprint of the server certificate (hex, colons allowed): when set, the certificate
    /// must match it, and nothing else about it is checked (self-signed certificates work).</summary>
    public string? Fingerprint { get; init; }

    /// <summary>The name sent in SNI and checked against the certificate; <see cref="Host"/> when null.</summary>
    public string? SniHost { get; init; }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Commands sent ahead of their replies, at most.</summary>
    public int PipelineWindow { get; init; } = 64;

    public ImapLimits Limits { get; init; } = new();

    /// <summary>Receives the protocol transcript ("C: ..." and "S: ..." lines), opt-in, for debugging. Passwords and
    /// SASL data are replaced by "&lt;secret&gt;", message contents by their length.</summary>
    public Action<string>? Transcript { get; init; }

    public int EffectivePort => Port != 0 ? Port : Security == ImapSecurity.Ssl ? 993 : 143;

    public string TlsName => string.IsNullOrEmpty(SniHost) ? Host : SniHost;
}
