namespace PopGate.Fetch;

/// <summary>What a fetch run does with the messages it finds. Immutable.</summary>
public sealed record FetchOptions
{
    /// <summary>Leave messages on the server; those already taken (by UIDL) are skipped on later runs.</summary>
    public bool Keep { get; init; }

    /// <summary>List what would be fetched and deleted; retrieve, deliver, delete and record nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>Messages larger than this (LIST size, octets) are not fetched and stay on the server.</summary>
    public long? MaxSize { get; init; }

    /// <summary>Fetch at most this many messages in this run; the others wait for the next.</summary>
    public int? Limit { get; init; }

    /// <summary>RETRs queued ahead of their replies at most. Only queued objects: the bytes on the wire are bounded
    /// by <see cref="PopGate.Client.Pop3ClientOptions.MaxBytesInFlight"/>.</summary>
    public int QueueDepth { get; init; } = 512;

    /// <summary>DELEs held back and sent together (the last batch with QUIT); bounds what is remembered meanwhile.</summary>
    public int DeletionBatch { get; init; } = 4096;
}
