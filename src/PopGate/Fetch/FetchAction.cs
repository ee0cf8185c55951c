namespace PopGate.Fetch;

/// <summary>What a run does with one listed message.</summary>
internal enum FetchAction
{
    /// <summary>RETR, deliver, record, then DELE (unless keeping).</summary>
    Retrieve,

    /// <summary>Delivered by an earlier run whose DELE never took effect: only DELE.</summary>
    DeleteOnly,

    /// <summary>Kept on the server and already delivered.</summary>
    Skip,

    /// <summary>Larger than the size limit: not fetched, kept, reported.</summary>
    TooLarge,

    /// <summary>Beyond the run's message limit: left for the next run.</summary>
    Later,
}
