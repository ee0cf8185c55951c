using System.Collections.Concurrent;
using System.Net;

namespace PopGate.Server;

/// <summary>Counts open connections, overall and per client address, against their limits.</summary>
internal sealed class ConnectionLimiter
{
    private readonly int _max;
    private readonly int _maxPerAddress;
    private readonly ConcurrentDictionary<IPAddress, int> _perAddress = new();
    private int _total;

    public ConnectionLimiter(int max, int maxPerAddress)
    {
        _max = max;
        _maxPerAddress = maxPerAddress;
    }

    public int Total => Volatile.Read(ref _total);

    /// <summary>Takes a slot, or returns why not.</summary>
    public string? TryEnter(IPAddress address)
    {
        if (Interlocked.Increment(ref _total) > _max)
        {
            Interlocked.Decrement(ref _total);
            return "too many connections";
        }

        var count = _perAddress.AddOrUpdate(address, 1, (_, n) => n + 1);
        if (count > _maxPerAddress)
        {
            Leave(address);
            return "too many connections from your address";
        }

        return null;
    }

    public void Leave(IPAddress address)
    {
        Interlocked.Decrement(ref _total);
        while (_perAddress.TryGetValue(address, out var n))
        {
            if (n <= 1 ? _perAddress.TryRemove(new KeyValuePair<IPAddress, int>(address, n)) : _perAddress.TryUpdate(address, n - 1, n))
            {
                return;
            }
        }
    }
}
