namespace PopGate.Client;

/// <summary>
/// Bounds what is in flight: commands written whose replies are not read yet, and the reply octets they are
/// expected to bring. One command is always let through when nothing is in flight, however large.
/// </summary>
internal sealed class FlightWindow
{
    private readonly Lock _gate = new();
    private int _maxCommands;
    private long _maxBytes;
    private int _commands;
    private long _bytes;
    private TaskCompletionSource? _changed;

    public FlightWindow(int maxCommands, long maxBytes)
    {
        _maxCommands = Math.Max(1, maxCommands);
        _maxBytes = Math.Max(0, maxBytes);
    }

    public int MaxCommands
    {
        get
        {
            lock (_gate)
            {
                return _maxCommands;
            }
        }
    }

    public int Commands
    {
        get
        {
            lock (_gate)
            {
                return _commands;
            }
        }
    }

    public bool TryEnter(long bytes)
    {
        lock (_gate)
        {
            if (_commands > 0 && (_commands >= _maxCommands || _bytes + bytes > _maxBytes))
            {
                return false;
            }

            _commands++;
            _bytes += bytes;
            return true;
        }
    }

    public async ValueTask EnterAsync(long bytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_commands == 0 || (_commands < _maxCommands && _bytes + bytes <= _maxBytes))
                {
                    _commands++;
                    _bytes += bytes;
                    return;
                }

                _changed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Leave(long bytes)
    {
        lock (_gate)
        {
            _commands--;
            _bytes -= bytes;
        }

        Signal();
    }

    public void Resize(int maxCommands, long maxBytes)
    {
        lock (_gate)
        {
            _maxCommands = Math.Max(1, maxCommands);
            _maxBytes = Math.Max(0, maxBytes);
        }

        Signal();
    }

    private void Signal()
    {
        TaskCompletionSource? changed;
        lock (_gate)
        {
            changed = _changed;
            _changed = null;
        }

        changed?.TrySetResult();
    }
}
