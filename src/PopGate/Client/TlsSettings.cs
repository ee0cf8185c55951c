using System.Security.Authentication;

namespace PopGate.Client;

/// <summary>How the server's certificate is checked and which TLS versions are allowed.</summary>
public sealed record TlsSettings
{
    /// <summary>Accept any certificate. Meant for tests and known hosts only; the connection is then open to
    /// interception.</summary>
    public bool Insecure { get; init; }

    /// <summary>
    /// The SHA-256 fingerprint of the expected server certificate (hex, colons and case ignored). When set, a
    /// certificate matching it is accepted even if self-signed or issued for another name, and any other is refused.
    /// </summary>
    public string? PinnedSha256 { get; init; }

    /// <summary>The versions offered; TLS 1.2 and 1.3 unless narrowed.</summary>
    public SslProtocols Protocols { get; init; } = SslProtocols.Tls12 | SslProtocols.Tls13;
}
