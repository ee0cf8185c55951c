using PopGate.Stores;

namespace PopGate.Tests.Jmap;

/// <summary>Keeps every byte a maildrop writes; can stop after a number of bytes, as a TOP would.</summary>
internal sealed class CollectingSink : IMessageSink
{
    private readonly MemoryStream _bytes = new();
    private readonly long _stopAfter;

    public CollectingSink(long stopAfter = long.MaxValue) => _stopAfter = stopAfter;

    public byte[] Bytes => _bytes.ToArray();

    public ValueTask<bool> WriteAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        _bytes.Write(chunk.Span);
        return ValueTask.FromResult(_bytes.Length < _stopAfter);
    }
}
