using System.Buffers;
using PopGate.Protocol;
using PopGate.Stores;

namespace PopGate.Testing;

/// <summary>
/// Receives a message from a maildrop as the POP3 server would: through a <see cref="DotStuffer"/> (with the TOP
/// limit when given), so it stops asking exactly when the server's sink would. Keeps the raw bytes too.
/// </summary>
public sealed class CollectingSink : IMessageSink
{
    private readonly MemoryStream _raw = new();
    private readonly ArrayBufferWriter<byte> _stuffed = new();
    private readonly DotStuffer _stuffer;
    private bool _completed;

    public CollectingSink(int? bodyLines = null) => _stuffer = new DotStuffer(bodyLines ?? -1);

    /// <summary>The bytes as the maildrop sent them.</summary>
    public byte[] Raw => _raw.ToArray();

    /// <summary>How many chunks came.</summary>
    public int Chunks { get; private set; }

    /// <summary>The largest chunk.</summary>
    public int LargestChunk { get; private set; }

    public ValueTask<bool> WriteAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        if (_stuffer.IsDone)
        {
            throw new InvalidOperationException("written to after it said stop");
        }

        Chunks++;
        LargestChunk = Math.Max(LargestChunk, chunk.Length);
        _raw.Write(chunk.Span);
        return ValueTask.FromResult(_stuffer.Write(chunk.Span, _stuffed));
    }

    /// <summary>The multi-line reply body as POP3 sends it (stuffed, with ".CRLF").</summary>
    public byte[] Stuffed()
    {
        if (!_completed)
        {
            _stuffer.Complete(_stuffed);
            _completed = true;
        }

        return _stuffed.WrittenSpan.ToArray();
    }

    /// <summary>What a POP3 client holds after unstuffing: the octets LIST and STAT must announce.</summary>
    public byte[] Unstuffed()
    {
        var stuffed = Stuffed();
        var output = new ArrayBufferWriter<byte>();
        var decoder = new DotUnstuffer();
        decoder.Decode(stuffed, output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>The TOP reply (or RETR with no limit) a POP3 server would send for a whole message.</summary>
    public static byte[] StuffedOf(byte[] message, int? bodyLines = null)
    {
        var stuffer = new DotStuffer(bodyLines ?? -1);
        var output = new ArrayBufferWriter<byte>();
        stuffer.Write(message, output);
        stuffer.Complete(output);
        return output.WrittenSpan.ToArray();
    }
}
