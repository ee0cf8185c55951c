namespace PopGate.Stores;

/// <summary>Collects a message in memory, for stores that fetch ahead within a budget of their own.</summary>
internal sealed class MemorySink : IMessageSink
{
    private readonly MemoryStream _bytes = new();

    public ValueTask<bool> WriteAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        _bytes.Write(chunk.Span);
        return ValueTask.FromResult(true);
    }

    public byte[] ToArray() => _bytes.ToArray();
}
