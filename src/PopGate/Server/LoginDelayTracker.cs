using System.Collections.Concurrent;

namespace PopGate.Server;

/// <summary>Enforces RFC 2449's LOGIN-DELAY: the time of each user's last login, kept only while it matters.</summary>
internal sealed class LoginDelayTracker
{
    private readonly TimeSpan _delay;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastLogin = new(StringComparer.Ordinal);

    public LoginDelayTracker(TimeSpan delay, TimeProvider time)
    {
        _delay = delay;
        _time = time;
    }

    /// <summary>Records a login; false when the previous one was too recent.</summary>
    public bool TryLogin(string user)
    {
        if (_delay <= TimeSpan.Zero)
        {
            return true;
        }

        var now = _time.GetUtcNow();
        if (_lastLogin.TryGetValue(user, out var last) && now - last < _delay)
        {
            return false;
        }

        _lastLogin[user] = now;
        if (_lastLogin.Count > 10_000)
        {
            foreach (var (name, time) in _lastLogin)
            {
                if (now - time >= _delay)
                {
                    _lastLogin.TryRemove(name, out _);
                }
            }
        }

        return true;
    }
}
