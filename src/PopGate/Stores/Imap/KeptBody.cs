using System.Buffers;
using PopGate.Imap;

namespace PopGate.Stores.Imap;

/// <summary>
/// A message body fetched ahead of its RETR, in a pooled buffer sized from the literal's announced length: the
/// bytes are copied once out of the IMAP reader's buffer, and no new large array (whose first touch costs page
/// faults) is made per message. <see cref="Release"/> hands the buffer back once the body went out.
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
        _buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(Math.Min(announced, largest), 1, Array.MaxLength));
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

    /// <summary>Returns the buffer to the pool; the body is empty afterwards.</summary>
    public void Release()
    {
        var buffer = _buffer;
        _buffer = [];
        _length = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Grow(int more)
    {
        var needed = (long)_length + more;
        if (needed > Array.MaxLength)
        {
            throw new ImapProtocolException("a message fetched ahead is larger than the largest array");
        }

        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(needed, 2L * _buffer.Length), Array.MaxLength));
        _buffer.AsSpan(0, _length).CopyTo(larger);
        var old = _buffer;
        _buffer = larger;
        if (old.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(old);
        }
    }
}
