using PopGate.Stores;

namespace PopGate.Tests.Imap;

/// <summary>Collects what a maildrop or the IMAP reader streams, optionally asking to stop after some octets.</summary>
internal sealed class MemorySink(long stopAfter = long.MaxValue) : IMessageSink
{
    private readonly MemoryStream _data = new();

    public int Writes { get; private set; }

    /// <summary>Writes that came after the sink had said stop (there must be none).</summary>
    public int WritesAfterStop { get; private set; }

    public byte[] Bytes => _data.ToArray();

    public ValueTask<bool> WriteAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        Writes++;
        if (_data.Length >= stopAfter)
        {
            WritesAfterStop++;
        }

        _data.Write(chunk.Span);
        return ValueTask.FromResult(_data.Length < stopAfter);
    }
}
