namespace PopGate.Fetch;

/// <summary>The counts of a run, updated from the reading loop and from completions at once.</summary>
internal sealed class FetchTally
{
    private int _fetched;
    private int _skipped;
    private int _deleteMarks;
    private int _failed;
    private int _left;
    private long _bytes;
    private int _deletions;
    private TaskCompletionSource? _deletionsDone;
    private readonly Lock _gate = new();

    public int Failed => Volatile.Read(ref _failed);

    public void Fetched(long octets)
    {
        Interlocked.Increment(ref _fetched);
        Interlocked.Add(ref _bytes, octets);
    }

    public void Skipped() => Interlocked.Increment(ref _skipped);

    public void Fail() => Interlocked.Increment(ref _failed);

    public void Leave(int count = 1) => Interlocked.Add(ref _left, count);

    public void DeletionQueued() => Interlocked.Increment(ref _deletions);

    /// <summary>A DELE's reply was read; <paramref name="marked"/> when it was +OK.</summary>
    public void DeletionAnswered(bool marked)
    {
        if (marked)
        {
            Interlocked.Increment(ref _deleteMarks);
        }

        if (Interlocked.Decrement(ref _deletions) == 0)
        {
            lock (_gate)
            {
                _deletionsDone?.TrySetResult();
            }
        }
    }

    /// <summary>Completes once every queued DELE has had its reply counted.</summary>
    public Task DeletionsAnsweredAsync()
    {
        lock (_gate)
        {
            if (Volatile.Read(ref _deletions) == 0)
            {
                return Task.CompletedTask;
            }

            _deletionsDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return Volatile.Read(ref _deletions) == 0 ? Task.CompletedTask : _deletionsDone.Task;
        }
    }

    /// <param name="deletionsHappened">False when QUIT was not answered +OK: marked messages were not deleted.</param>
    public FetchSummary Summary(string account, TimeSpan elapsed, Exception? error, bool deletionsHappened) => new(
        account,
        Volatile.Read(ref _fetched),
        Volatile.Read(ref _skipped),
        deletionsHappened ? Volatile.Read(ref _deleteMarks) : 0,
        Volatile.Read(ref _failed),
        Volatile.Read(ref _left),
        Interlocked.Read(ref _bytes),
        elapsed,
        error);
}
