namespace PopGate.Fetch;

/// <summary>
/// What a run did. <see cref="Failed"/> counts messages that were not handled (not delivered, too large, DELE
/// refused); <see cref="Error"/> is what ended the run early (connection, TLS, login), or null.
/// </summary>
public sealed record FetchSummary(
    string Account,
    int Fetched,
    int Skipped,
    int Deleted,
    int Failed,
    int Left,
    long Bytes,
    TimeSpan Elapsed,
    Exception? Error)
{
    /// <summary>True when every message was handled: nothing failed and the run was not cut short.</summary>
    public bool Complete => Failed == 0 && Error is null;
}
