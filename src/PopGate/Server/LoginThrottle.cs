using System.Collections.Concurrent;
using System.Net;

namespace PopGate.Server;

/// <summary>
/// Slows password guessing: each failed login from an address doubles the wait before that address's next
/// failure is answered, up to a cap. A success, or a quiet spell as long as the cap, forgets the address.
/// </summary>
internal sealed class LoginThrottle
{
    private const int MaxTracked = 100_000;
    private readonly TimeSpan _first;
    private readonly TimeSpan _max;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<IPAddress, (int Failures, DateTimeOffset Last)> _failures = new();

    public LoginThrottle(TimeSpan first, TimeSpan max, TimeProvider time)
    {
        _first = first;
        _max = max;
        _time = time;
    }

    /// <summary>Records a failure and returns how long to wait before answering it.</summary>
    public TimeSpan Fail(IPAddress address)
    {
        var now = _time.GetUtcNow();
        var entry = _failures.AddOrUpdate(
            address,
            _ => (1, now),
            (_, old) => (now - old.Last > _max + _max ? 1 : Math.Min(old.Failures + 1, 30), now));
        if (_failures.Count > MaxTracked)
        {
            Prune(now);
        }

        var delay = _first * Math.Pow(2, entry.Failures - 1);
        return delay > _max ? _max : delay;
    }

    public void Succeed(IPAddress address) => _failures.TryRemove(address, out _);

    private void Prune(DateTimeOffset now)
    {
        foreach (var (address, entry) in _failures)
        {
            if (now - entry.Last > _max)
            {
                _failures.TryRemove(address, out _);
            }
        }
    }
}
