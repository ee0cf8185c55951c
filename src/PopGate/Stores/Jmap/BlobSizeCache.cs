using System.Collections.Concurrent;

namespace PopGate.Stores.Jmap;

/// <summary>
/// Wire sizes measured from downloads, keyed by account and blob id. RFC 8620 forbids a blob's data to change,
/// so an entry never goes stale; the cache is bounded and simply stops learning when full.
/// </summary>
internal sealed class BlobSizeCache
{
    private readonly ConcurrentDictionary<(string Account, string Blob), long> _sizes = new();
    private readonly int _capacity;

    public BlobSizeCache(int capacity) => _capacity = capacity;

    public bool TryGet(string account, string blobId, out long wireSize) => _sizes.TryGetValue((account, blobId), out wireSize);

    public void Set(string account, string blobId, long wireSize)
    {
        if (_sizes.Count < _capacity || _sizes.ContainsKey((account, blobId)))
        {
            _sizes[(account, blobId)] = wireSize;
        }
    }
}
