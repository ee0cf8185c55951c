using System.Text;

namespace PopGate.Client;

/// <summary>
/// A command in the pipeline: its line, what its reply costs the window, and how to read that reply.
/// Queued, then written by the writing loop, then its reply is read by the reading loop, strictly in order.
/// </summary>
internal abstract class PendingCommand
{
    private const int Queued = 0;
    private const int Written = 1;
    private const int Cancelled = 2;

    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenRegistration _registration;
    private int _state;

    /// <param name="line">The command without CRLF, or null for the greeting, which the server sends unasked.</param>
    protected PendingCommand(string verb, string? line, string? transcript, long expectedBytes, CancellationToken cancellationToken)
    {
        Verb = verb;
        Line = line is null ? [] : Encoding.UTF8.GetBytes(line + "\r\n");
        Transcript = transcript ?? line ?? string.Empty;
        ExpectedBytes = Math.Max(0, expectedBytes);
        CancellationToken = cancellationToken;
    }

    /// <summary>The command word, for error messages.</summary>
    public string Verb { get; }

    /// <summary>The whole command line, CRLF included; empty for the greeting.</summary>
    public byte[] Line { get; }

    /// <summary>The line as the transcript shows it, secrets masked.</summary>
    public string Transcript { get; }

    /// <summary>Octets the reply is expected to carry, counted against the window's byte budget.</summary>
    public long ExpectedBytes { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>A barrier is written alone: nothing follows it until its reply has been fully handled.</summary>
    public virtual bool IsBarrier => false;

    /// <summary>Completes once the reply was read and handled, whatever the outcome.</summary>
    public Task Done => _done.Task;

    /// <summary>True once the caller's task has an outcome (it may still await its reply to keep the stream in step).</summary>
    public abstract bool IsCompleted { get; }

    /// <summary>Claims the command for writing; false when it was cancelled while still queued.</summary>
    public bool TryBeginWrite() => Interlocked.CompareExchange(ref _state, Written, Queued) == Queued;

    public void WatchCancellation()
    {
        if (CancellationToken.CanBeCanceled)
        {
            _registration = CancellationToken.Register(static c => ((PendingCommand)c!).OnCancelled(), this);
        }
    }

    /// <summary>Reads this command's whole reply and settles the caller's task. Throws only when the connection
    /// can no longer be trusted.</summary>
    public abstract ValueTask ReadReplyAsync(ReplyReader replies);

    public abstract void Fail(Exception error);

    protected abstract void Cancel(CancellationToken cancellationToken);

    public void MarkDone()
    {
        _registration.Dispose();
        _done.TrySetResult();
    }

    // A command already written still gets its reply read (and dropped), so later replies stay in step.
    private void OnCancelled()
    {
        Interlocked.CompareExchange(ref _state, Cancelled, Queued);
        Cancel(CancellationToken);
    }

    /// <summary>Reads the status line; -ERR settles the task with a <see cref="Pop3CommandException"/> and gives null.</summary>
    protected async ValueTask<Pop3Reply?> ReadOkAsync(ReplyReader replies)
    {
        var reply = await replies.ReadStatusAsync(replies.Options.CommandTimeout).ConfigureAwait(false);
        switch (reply.Status)
        {
            case ReplyStatus.Ok:
                return reply;
            case ReplyStatus.Error:
                Fail(new Pop3CommandException(Verb, reply.ResponseCode, reply.Text));
                return null;
            default:
                throw new Pop3ProtocolException($"the server sent a '+ ' continuation in reply to {Verb}");
        }
    }
}

/// <summary>A pending command whose caller awaits a <typeparamref name="T"/>.</summary>
internal abstract class PendingCommand<T> : PendingCommand
{
    private readonly TaskCompletionSource<T> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected PendingCommand(string verb, string? line, string? transcript, long expectedBytes, CancellationToken cancellationToken)
        : base(verb, line, transcript, expectedBytes, cancellationToken)
    {
    }

    public Task<T> Result => _result.Task;

    public override bool IsCompleted => _result.Task.IsCompleted;

    protected void Complete(T value) => _result.TrySetResult(value);

    public override void Fail(Exception error) => _result.TrySetException(error);

    protected override void Cancel(CancellationToken cancellationToken) => _result.TrySetCanceled(cancellationToken);
}
