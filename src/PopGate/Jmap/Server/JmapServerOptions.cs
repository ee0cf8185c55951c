using PopGate.Stores;

namespace PopGate.Jmap.Server;

/// <summary>What a JMAP server serves and its limits (they are announced in the session resource).</summary>
public sealed record JmapServerOptions
{
    /// <summary>Where each user's mail lives; every request opens the user's maildrop under its lock.</summary>
    public required IMailStore Store { get; init; }

    /// <summary>Checks a user name and password (Basic auth, or a Bearer token that is the base64 of "user:password").</summary>
    public required Func<string, string, bool> Authenticate { get; init; }

    public long MaxSizeRequest { get; init; } = 10_000_000;
    public int MaxCallsInRequest { get; init; } = 32;
    public int MaxObjectsInGet { get; init; } = 1000;
    public int MaxObjectsInSet { get; init; } = 1000;

    /// <summary>The largest Email/query page; a bigger limit is cut to it and the response says so.</summary>
    public int MaxQueryLimit { get; init; } = 10_000;

    /// <summary>The largest header block read for subject, from and the other header properties.</summary>
    public int MaxHeaderBytes { get; init; } = 64 * 1024;

    /// <summary>URLs in the session resource relative to it (as Cyrus sends them), instead of absolute.</summary>
    public bool RelativeUrls { get; init; }

    /// <summary>
    /// Serve blobs as the store holds them (LF line ends stay LF) with the raw length as `size`, instead of the
    /// CRLF form; for testing clients against blobs whose size on the wire differs.
    /// </summary>
    public bool RawBlobs { get; init; }

    /// <summary>How long a request waits for a maildrop that another session holds.</summary>
    public TimeSpan LockWait { get; init; } = TimeSpan.FromSeconds(5);
}
