namespace PopGate.Stores.Jmap;

/// <summary>How LIST sizes are obtained; JMAP's own size counts the blob as stored, which is not always what RETR sends.</summary>
public enum JmapSizeMode
{
    /// <summary>
    /// The JMAP size, unless a download of the same blob (blobs never change) measured another wire size.
    /// Exact for blobs with CRLF line ends and a final CRLF, which is what JMAP servers store.
    /// </summary>
    Trust,

    /// <summary>Every blob not measured before is downloaded at login to count its wire size. Exact, and slow.</summary>
    Measure,
}

/// <summary>A JMAP account served as a POP3 maildrop.</summary>
public sealed record JmapStoreOptions
{
    /// <summary>The session resource URL, or a server's base URL ("https://host"), to which /.well-known/jmap is added.</summary>
    public required Uri Url { get; init; }

    public required JmapAuth Auth { get; init; }

    /// <summary>The mailbox by name; null for the one with role "inbox".</summary>
    public string? Mailbox { get; init; }

    /// <summary>At QUIT, move deleted messages to the "trash" role mailbox instead of destroying them.</summary>
    public bool MoveToTrash { get; init; }

    public JmapSizeMode SizeMode { get; init; } = JmapSizeMode.Trust;

    /// <summary>Connecting to the server.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>One session fetch or API call, answer included.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The longest wait for the next bytes of a message being downloaded.</summary>
    public TimeSpan DownloadIdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Memory a session may hold for messages downloaded ahead of their RETR (pipelined POP3 clients), a few
    /// downloads at a time; 0 downloads one message at a time. A larger message is never downloaded ahead.</summary>
    public long ReadAheadBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>The largest API answer read (a listing of many messages is a few hundred octets each).</summary>
    public long MaxResponseBytes { get; init; } = 64L << 20;

    /// <summary>Where the last listing of each mailbox is kept across restarts (one file per mailbox: ids, blob ids,
    /// sizes, dates; no message content); null keeps it in memory only, so the first login after a start lists the
    /// whole mailbox. Either way a login asks the server only what changed since (Email/changes).</summary>
    public string? StateDirectory { get; init; }

    /// <summary>Ask for gzip or deflate on blob downloads too (API answers always may be). Saves bandwidth on a slow
    /// link to a server that compresses; on a fast one it costs both sides CPU per message.</summary>
    public bool CompressDownloads { get; init; }

    /// <summary>Accept any TLS certificate (a test server with a self-signed one).</summary>
    public bool InsecureSkipCertificateCheck { get; init; }

    /// <summary>The most messages a maildrop lists; more is refused rather than truncated.</summary>
    public int MaxMessages { get; init; } = 1_000_000;

    /// <summary>The session resource URL the options stand for.</summary>
    public Uri SessionUrl =>
        Url.AbsolutePath is "" or "/" ? new Uri(Url, "/.well-known/jmap") : Url;
}
