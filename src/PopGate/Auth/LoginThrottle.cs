using System.Net;
using System.Net.Sockets;

namespace PopGate.Auth;

/// <summary>
/// Slows password guessing per remote address: after consecutive failures each further attempt waits
/// <see cref="DelayFor"/> (0, 0, 1, 2, 4 ... s up to a cap with the defaults). A success or a quiet period resets the
/// address. Memory stays bounded: quiet addresses, then the least recently failed, are forgotten. Thread-safe.
/// </summary>
public sealed class LoginThrottle
{
    private readonly LoginThrottleOptions _options;
    private readonly TimeProvider _time;
    private readonly Dictionary<IPAddress, Failures> _failures = [];
    private readonly Lock _lock = new();

    public LoginThrottle(LoginThrottleOptions? options = null, TimeProvider? time = null)
    {
        _options = options ?? new LoginThrottleOptions();
        _time = time ?? TimeProvider.System;
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxAddresses, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(_options.FreeFailures, nameof(options));
        if (_options.Ipv6PrefixLength is < 1 or > 128)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Ipv6PrefixLength is 1 to 128");
        }
    }

    /// <summary>How many addresses are remembered now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _failures.Count;
            }
        }
    }

    /// <summary>How long to wait before answering the next login attempt from <paramref name="address"/>.</summary>
    public TimeSpan DelayFor(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var key = KeyOf(address);
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (!_failures.TryGetValue(key, out var failures))
            {
                return TimeSpan.Zero;
            }

            if (now - failures.Last >= _options.QuietPeriod)
            {
                _failures.Remove(key);
                return TimeSpan.Zero;
            }

            return Delay(failures.Count);
        }
    }

    public void RecordFailure(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var key = KeyOf(address);
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            var count = _failures.TryGetValue(key, out var failures) && now - failures.Last < _options.QuietPeriod
                ? failures.Count + 1
                : 1;
            if (failures is null && _failures.Count >= _options.MaxAddresses)
            {
                Evict(now);
            }

            _failures[key] = new Failures(Math.Min(count, 64), now);
        }
    }

    public void RecordSuccess(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var key = KeyOf(address);
        lock (_lock)
        {
            _failures.Remove(key);
        }
    }

    private TimeSpan Delay(int failures)
    {
        var beyond = failures - _options.FreeFailures;
        if (beyond <= 0)
        {
            return TimeSpan.Zero;
        }

        // Doubling stops well before overflow; the cap decides the rest.
        var factor = Math.Pow(2, Math.Min(beyond - 1, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(_options.FirstDelay.Ticks * factor, _options.MaxDelay.Ticks));
        return delay < _options.MaxDelay ? delay : _options.MaxDelay;
    }

    // Called with the table full: drop every quiet address, and if that frees too little, the oldest tenth.
    private void Evict(DateTimeOffset now)
    {
        foreach (var (key, failures) in _failures)
        {
            if (now - failures.Last >= _options.QuietPeriod)
            {
                _failures.Remove(key);
            }
        }

        if (_failures.Count < _options.MaxAddresses)
        {
            return;
        }

        var drop = Math.Max(1, _options.MaxAddresses / 10);
        foreach (var key in _failures.OrderBy(p => p.Value.Last).Take(drop).Select(p => p.Key).ToList())
        {
            _failures.Remove(key);
        }
    }

    private IPAddress KeyOf(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6 || _options.Ipv6PrefixLength >= 128)
        {
            return address;
        }

        var bytes = address.GetAddressBytes();
        for (var bit = _options.Ipv6PrefixLength; bit < 128; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPAddress(bytes);
    }

    private sealed record Failures(int Count, DateTimeOffset Last);
}
