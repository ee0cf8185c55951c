namespace PopGate.Tests.Client;

/// <summary>A clock whose timers fire only when a test moves it forward, so timeouts are tested without waiting.</summary>
internal sealed class ManualClock : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    /// <summary>Timers set to fire at some point.</summary>
    public int Armed
    {
        get
        {
            lock (_gate)
            {
                return _timers.Count(t => t.Due is not null);
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        lock (_gate)
        {
            _timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    public void Advance(TimeSpan by)
    {
        List<ManualTimer> due;
        lock (_gate)
        {
            _now += by;
            due = _timers.Where(t => t.Due <= _now).ToList();
            foreach (var timer in due)
            {
                timer.Due = timer.Period > TimeSpan.Zero ? _now + timer.Period : null;
            }
        }

        foreach (var timer in due)
        {
            timer.Fire();
        }
    }

    /// <summary>Waits (briefly, in real time) until the code under test has armed a timer due that far ahead.</summary>
    public async Task WhenArmedAsync(TimeSpan dueIn)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!IsArmed(dueIn))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no timer was armed for {dueIn}");
            }

            await Task.Delay(5);
        }
    }

    private bool IsArmed(TimeSpan dueIn)
    {
        lock (_gate)
        {
            return _timers.Any(t => t.Due == _now + dueIn);
        }
    }

    private sealed class ManualTimer(ManualClock clock, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset? Due { get; set; }

        public TimeSpan Period { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._gate)
            {
                // CancellationTokenSource disarms with uint.MaxValue milliseconds rather than -1.
                Due = dueTime == Timeout.InfiniteTimeSpan || dueTime.TotalMilliseconds >= uint.MaxValue ? null : clock._now + dueTime;
                Period = period == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : period;
            }

            return true;
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (clock._gate)
            {
                clock._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
