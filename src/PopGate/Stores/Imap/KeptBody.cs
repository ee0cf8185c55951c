using PopGate.Imap;

namespace PopGate.Stores.Imap;

/// <summary>
/// A message body fetched ahead of its RETR, in one array of the length the literal announced: the bytes are copied
/// once out of the IMAP reader's buffer, with no growing and no second copy. Not from a shared pool: pooled arrays
/// of every size a message can have stayed with the process (50 MiB more after the gateway benchmark's downloads)
/// and saved no measurable CPU.
/// </summary>
internal sealed class KeptBody : IMessageSink
{
    private byte[] _buffer;
    private int _length;

    /// <param name="announced">The literal's length as the server announced it.</param>
    /// <param name="largest">The most to reserve before the bytes arrive: a length announced by the server is
    /// not taken on trust beyond the read-ahead budget (a body that is really larger grows as it comes).</param>
    public KeptBody(long announced, long largest)
    {
        _buffer = GC.AllocateUninitializedArray<byte>((int)Math.Clamp(Math.Min(announced, largest), 0, Array.MaxLength));
    }

    public int Length => _length;

    public ReadOnlyMemory<byte> Bytes => _buffer.AsMemory(0, _length);

    public ValueTask<bool> WriteAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        if (chunk.Length > _buffer.Length - _length)
        {
            Grow(chunk.Length);
        }

        chunk.Span.CopyTo(_buffer.AsSpan(_length));
        _length += chunk.Length;
        return ValueTask.FromResult(true);
    }

    private void Grow(int more)
    {
        var needed = (long)_length + more;
        if (needed > Array.MaxLength)
        {
            throw new ImapProtocolException("a message fetched ahead is larger than the largest array");
        }

        var larger = GC.AllocateUninitializedArray<byte>((int)Math.Min(Math.Max(needed, 2L * _buffer.Length), Array.MaxLength));
        _buffer.AsSpan(0, _length).CopyTo(larger);
        _buffer = larger;
    }
}
