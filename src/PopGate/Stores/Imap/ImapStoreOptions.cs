using PopGate.Imap;

namespace PopGate.Stores.Imap;

/// <summary>One upstream IMAP account (or, in pass-through, one server for many accounts) served as a POP3 maildrop.</summary>
public sealed record ImapStoreOptions
{
    public string Host { get; init; } = "localhost";

    /// <summary>0: 993 with <see cref="ImapSecurity.Ssl"/>, else 143.</summary>
    public int Port { get; init; }

    public ImapSecurity Security { get; init; } = ImapSecurity.Ssl;

    /// <summary>Accept any certificate (tests, trusted networks only).</summary>
    public bool Insecure { get; init; }

    /// <summary>Pinned SHA-256 fingerprint of the server certificate (hex, colons allowed).</summary>
    public string? Fingerprint { get; init; }

    /// <summary>Name for SNI and the certificate check, when it differs from <see cref="Host"/>.</summary>
    public string? SniHost { get; init; }

    /// <summary>The mailboxes shown as one maildrop, in this order (each sorted by UID).</summary>
    public IReadOnlyList<string> Folders { get; init; } = ["INBOX"];

    /// <summary>EXAMINE instead of SELECT; deleting is refused.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>The upstream user. Null: the POP3 user's own name and password are passed through.</summary>
    public string? User { get; init; }

    /// <summary>The upstream password for <see cref="User"/>.</summary>
    public string? Password { get; init; }

    /// <summary>Gives an OAuth2 access token for each login (XOAUTH2 / OAUTHBEARER); the user is <see cref="User"/>,
    /// or the POP3 user's name when that is null.</summary>
    public Func<CancellationToken, ValueTask<string>>? TokenProvider { get; init; }

    /// <summary>Auto: LOGIN (PLAIN when LOGIN is disabled) for a password; OAUTHBEARER when offered, else XOAUTH2, for a token.</summary>
    public ImapAuthMechanism Mechanism { get; init; } = ImapAuthMechanism.Auto;

    public ExpungeWithoutUidPlus ExpungeWithoutUidPlus { get; init; } = ExpungeWithoutUidPlus.Never;

    /// <summary>List messages already flagged \Deleted (by another client, or left by <see cref="ExpungeWithoutUidPlus.Never"/>).</summary>
    public bool ShowDeleted { get; init; }

    /// <summary>Read the last two octets of every message at login, so a message without a final line end is listed
    /// with the CRLF the POP3 side adds to it. Costs one small pipelined FETCH per message.</summary>
    public bool CheckFinalNewline { get; init; } = true;

    /// <summary>Where the final-newline check's results are kept across restarts (one small file per folder); null
    /// keeps them in memory only, so the first login after a start checks every message again.</summary>
    public string? StateDirectory { get; init; }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait for the server during any command.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Commands in flight at most.</summary>
    public int PipelineWindow { get; init; } = 64;

    /// <summary>Memory a session may hold for messages fetched ahead of their RETR (pipelined POP3 clients); 0 fetches
    /// one message per round trip. A message larger than this is never fetched ahead.</summary>
    public long ReadAheadBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Largest message accepted from the server.</summary>
    public long MaxMessageSize { get; init; } = 1L << 31;

    internal ImapConnectionOptions Connection => new()
    {
        Host = Host,
        Port = Port,
        Security = Security,
        Insecure = Insecure,
        Fingerprint = Fingerprint,
        SniHost = SniHost,
        ConnectTimeout = ConnectTimeout,
        PipelineWindow = PipelineWindow,
        Limits = new ImapLimits { Timeout = Timeout, MaxLiteralSize = MaxMessageSize },
    };
}
