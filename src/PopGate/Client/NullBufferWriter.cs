using System.Buffers;

namespace PopGate.Client;

/// <summary>A buffer writer that drops everything: the sink for replies nobody waits for any more.</summary>
internal sealed class NullBufferWriter : IBufferWriter<byte>
{
    public static NullBufferWriter Instance { get; } = new();

    // Shared: contents are never read, so concurrent use is harmless.
    private readonly byte[] _scratch = new byte[16 * 1024];

    public void Advance(int count)
    {
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => sizeHint <= _scratch.Length ? _scratch : new byte[sizeHint];

    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
}
