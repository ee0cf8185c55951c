using System.Buffers;
using System.Threading.Channels;

namespace PopGate.Client;

/// <summary>
/// The command engine. Commands are queued in call order; a writing loop writes them ahead as far as the
/// <see cref="FlightWindow"/> allows and flushes once per burst, while a reading loop reads their replies in the same
/// order. Writing and reading run at the same time, so a long queue of RETRs cannot deadlock against unread replies.
/// Any protocol violation, timeout or lost connection faults the pipeline: every queued and in-flight command
/// fails with that error and the connection is closed. A reply is never skipped to recover.
/// </summary>
internal sealed class CommandPipeline : IAsyncDisposable
{
    private readonly Pop3Transport _transport;
    private readonly Pop3ClientOptions _options;
    private readonly Channel<PendingCommand> _queue = Channel.CreateUnbounded<PendingCommand>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<PendingCommand> _inFlight = Channel.CreateUnbounded<PendingCommand>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _shutdown = new();
    private readonly FlightWindow _window = new(1, long.MaxValue);
    private readonly ReplyReader _replies;
    private readonly Task _writing;
    private readonly Task _reading;
    private readonly Lock _holdGate = new();
    private int _holds;
    private TaskCompletionSource? _released;
    private Exception? _fault;
    private string? _closedReason;

    public CommandPipeline(Pop3Transport transport, Pop3ClientOptions options)
    {
        _transport = transport;
        _options = options;
        _replies = new ReplyReader(transport, options, _shutdown.Token);
        _writing = Task.Run(WriteLoopAsync);
        _reading = Task.Run(ReadLoopAsync);
    }

    /// <summary>The error that ended the connection, or null while it is healthy.</summary>
    public Exception? Fault => Volatile.Read(ref _fault);

    /// <summary>Commands written ahead at most; 1 means no pipelining.</summary>
    public int Window => _window.MaxCommands;

    /// <summary>Commands written whose replies are not read yet.</summary>
    public int InFlight => _window.Commands;

    public void SetWindow(int commands, long bytes) => _window.Resize(commands, bytes);

    /// <summary>Queues a command; its task settles when its reply has been read.</summary>
    public Task<T> Enqueue<T>(PendingCommand<T> command)
    {
        var refusal = Refusal();
        if (refusal is not null)
        {
            command.Fail(refusal);
            return command.Result;
        }

        command.WatchCancellation();
        if (!_queue.Writer.TryWrite(command))
        {
            command.Fail(Refusal() ?? new Pop3ConnectionException("the connection is closed"));
        }

        return command.Result;
    }

    /// <summary>
    /// Holds writing until the returned value is disposed, so that commands queued meanwhile leave in one write (one
    /// TCP segment when they fit) instead of racing the writing loop. Holds nest.
    /// </summary>
    public IDisposable HoldWrites()
    {
        lock (_holdGate)
        {
            _holds++;
        }

        return new Hold(this);
    }

    private void ReleaseHold()
    {
        TaskCompletionSource? released = null;
        lock (_holdGate)
        {
            if (--_holds == 0)
            {
                released = _released;
                _released = null;
            }
        }

        released?.TrySetResult();
    }

    private Task WhenReleasedAsync(CancellationToken token)
    {
        lock (_holdGate)
        {
            if (_holds == 0)
            {
                return Task.CompletedTask;
            }

            _released ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _released.Task.WaitAsync(token);
        }
    }

    private sealed class Hold(CommandPipeline pipeline) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                pipeline.ReleaseHold();
            }
        }
    }

    /// <summary>After QUIT's +OK nothing may be sent; later commands fail at once.</summary>
    public void MarkClosed(string reason)
    {
        Volatile.Write(ref _closedReason, reason);
        _queue.Writer.TryComplete();
    }

    private Exception? Refusal()
    {
        var closed = Volatile.Read(ref _closedReason);
        if (closed is not null)
        {
            return new Pop3ConnectionException(closed);
        }

        var fault = Fault;
        return fault is null ? null : new Pop3ConnectionException($"the connection is no longer usable: {fault.Message}", fault);
    }

    private async Task WriteLoopAsync()
    {
        var token = _shutdown.Token;
        PendingCommand? current = null;
        var unflushed = false;
        try
        {
            while (true)
            {
                if (Volatile.Read(ref _holds) > 0)
                {
                    await WhenReleasedAsync(token).ConfigureAwait(false);
                    continue;
                }

                if (!_queue.Reader.TryRead(out current))
                {
                    if (unflushed)
                    {
                        await FlushAsync(token).ConfigureAwait(false);
                        unflushed = false;
                    }

                    if (!await _queue.Reader.WaitToReadAsync(token).ConfigureAwait(false))
                    {
                        return;
                    }

                    continue;
                }

                if (!current.TryBeginWrite())
                {
                    continue;
                }

                if (Volatile.Read(ref _closedReason) is not null)
                {
                    // Queued behind QUIT: the session is over, so it is never sent.
                    current.Fail(Refusal()!);
                    continue;
                }

                if (!_window.TryEnter(current.ExpectedBytes))
                {
                    if (unflushed)
                    {
                        await FlushAsync(token).ConfigureAwait(false);
                        unflushed = false;
                    }

                    await _window.EnterAsync(current.ExpectedBytes, token).ConfigureAwait(false);
                }

                // The reading loop must know of the command before its bytes can reach the server.
                _inFlight.Writer.TryWrite(current);
                if (current.Line.Length > 0)
                {
                    _options.Transcript?.ClientLine(current.Transcript);
                    _transport.Output.Write(current.Line);
                    unflushed = true;
                }

                if (current.IsBarrier)
                {
                    await FlushAsync(token).ConfigureAwait(false);
                    unflushed = false;
                    await current.Done.WaitAsync(token).ConfigureAwait(false);
                }

                current = null;
            }
        }
        catch (Exception e)
        {
            var fault = Raise(e);
            current?.Fail(fault);
        }
    }

    private async Task FlushAsync(CancellationToken token)
    {
        var result = await _transport.Output.FlushAsync(token).ConfigureAwait(false);
        if (result.IsCompleted)
        {
            throw new Pop3ConnectionException("the connection was closed while sending");
        }
    }

    private async Task ReadLoopAsync()
    {
        var token = _shutdown.Token;
        PendingCommand? current = null;
        try
        {
            while (await _inFlight.Reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                while (_inFlight.Reader.TryRead(out current))
                {
                    await current.ReadReplyAsync(_replies).ConfigureAwait(false);
                    current.MarkDone();
                    _window.Leave(current.ExpectedBytes);
                    current = null;
                }
            }
        }
        catch (Exception e)
        {
            var fault = Raise(e);
            current?.Fail(fault);
            current?.MarkDone();
        }
    }

    /// <summary>Records the first fault, fails everything pending and closes the connection.</summary>
    private Exception Raise(Exception error)
    {
        var fault = Classify(error);
        if (Interlocked.CompareExchange(ref _fault, fault, null) is { } earlier)
        {
            return earlier;
        }

        _queue.Writer.TryComplete();
        _inFlight.Writer.TryComplete();
        _shutdown.Cancel();
        _transport.Abort();
        while (_queue.Reader.TryRead(out var queued))
        {
            queued.Fail(fault);
        }

        while (_inFlight.Reader.TryRead(out var waiting))
        {
            waiting.Fail(fault);
            waiting.MarkDone();
        }

        return fault;
    }

    private Exception Classify(Exception error) => error switch
    {
        Pop3Exception known => known,
        OperationCanceledException when Volatile.Read(ref _closedReason) is { } reason => new Pop3ConnectionException(reason, error),
        OperationCanceledException => new Pop3ConnectionException("the connection was closed", error),
        IOException or ObjectDisposedException or System.Net.Sockets.SocketException =>
            new Pop3ConnectionException($"the connection was lost: {error.Message}", error),
        _ => new Pop3ProtocolException($"the connection failed: {error.Message}", error),
    };

    /// <summary>Closes the connection; whatever is still pending fails with <paramref name="reason"/>.</summary>
    public async Task CloseAsync(string reason)
    {
        Volatile.Write(ref _closedReason, reason);
        Raise(new Pop3ConnectionException(reason));
        await Task.WhenAll(_writing, _reading).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync(Volatile.Read(ref _closedReason) ?? "the client was disposed").ConfigureAwait(false);
        await _transport.DisposeAsync().ConfigureAwait(false);
        _shutdown.Dispose();
    }
}
