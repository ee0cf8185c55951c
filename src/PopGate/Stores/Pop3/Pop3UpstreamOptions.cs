using PopGate.Client;

namespace PopGate.Stores.Pop3;

/// <summary>Where another POP3 account is and how to log in to it.</summary>
public sealed record Pop3UpstreamOptions
{
    /// <summary>Host, port, TLS mode and SNI name of the upstream server.</summary>
    public required ConnectionSpec Server { get; init; }

    /// <summary>Client settings: TLS checks, timeouts, pipelining window.</summary>
    public Pop3ClientOptions Client { get; init; } = Pop3ClientOptions.Default;

    /// <summary>A fixed upstream user; null passes the POP3 user through.</summary>
    public string? User { get; init; }

    /// <summary>The secret for <see cref="User"/> (or, with pass-through, null: the POP3 password is used).</summary>
    public Func<MaildropRequest, CancellationToken, ValueTask<string>>? Secret { get; init; }

    /// <summary>A SASL mechanism to force (e.g. XOAUTH2 when the secret is a token); null picks one from CAPA.</summary>
    public string? Mechanism { get; init; }
}
