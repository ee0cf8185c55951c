namespace PopGate.Imap;

/// <summary>
/// One cancellation source per operation whose deadline is pushed back before every read or write, so the
/// timeout bounds each wait for the peer rather than the whole transfer of a large message.
/// </summary>
internal sealed class IoTimer : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly CancellationToken _caller;
    private readonly TimeSpan _timeout;

    public IoTimer(TimeSpan timeout, CancellationToken caller)
    {
        _caller = caller;
        _timeout = timeout;
        _source = CancellationTokenSource.CreateLinkedTokenSource(caller);
    }

    public CancellationToken Token => _source.Token;

    /// <summary>The caller's own token, for work that is not a wait on the peer.</summary>
    public CancellationToken CallerToken => _caller;

    /// <summary>Starts a fresh wait of the full timeout and returns the token to wait with.</summary>
    public CancellationToken Restart()
    {
        _source.CancelAfter(_timeout);
        return _source.Token;
    }

    /// <summary>Stops the clock between waits (while a sink takes a message, the peer is not being waited for).</summary>
    public void Pause() => _source.CancelAfter(System.Threading.Timeout.InfiniteTimeSpan);

    /// <summary>Turns a cancellation that came from the deadline (not from the caller) into a protocol error.</summary>
    public Exception Translate(OperationCanceledException e, string waitingFor)
    {
        _caller.ThrowIfCancellationRequested();
        return new ImapProtocolException($"timed out after {_timeout.TotalSeconds:0.#} s waiting for {waitingFor}", e);
    }

    public void Dispose() => _source.Dispose();
}
