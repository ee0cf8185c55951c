using System.Buffers;
using PopGate.Stores;

namespace PopGate.Mime;

/// <summary>
/// Collects a message's header block (up to the first empty line, or a size limit) from a maildrop, then asks
/// for no more bytes, unless it was told to count the whole message.
/// </summary>
public sealed class HeaderBlockSink : IMessageSink
{
    private readonly ArrayBufferWriter<byte> _header = new(2048);
    private readonly int _limit;
    private readonly bool _countAll;
    private bool _headerDone;

    /// <param name="limit">The most header octets kept; a longer header is cut there.</param>
    /// <param name="countAll">Read to the end to count <see cref="TotalOctets"/>.</param>
    public HeaderBlockSink(int limit = 64 * 1024, bool countAll = false)
    {
        _limit = limit;
        _countAll = countAll;
    }

    /// <summary>The header block, without the empty line that ends it.</summary>
    public ReadOnlySpan<byte> Header => _header.WrittenSpan;

    /// <summary>Octets seen; the message's raw length once it was read to the end.</summary>
    public long TotalOctets { get; private set; }

    public ValueTask<bool> WriteAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        TotalOctets += chunk.Length;
        if (!_headerDone)
        {
            Take(chunk.Span);
        }

        return ValueTask.FromResult(!_headerDone || _countAll);
    }

    private void Take(ReadOnlySpan<byte> chunk)
    {
        var room = _limit - _header.WrittenCount;
        var part = chunk[..Math.Min(chunk.Length, room)];
        var searchFrom = Math.Max(0, _header.WrittenCount - 3);
        _header.Write(part);
        var written = _header.WrittenSpan;
        var end = FindEmptyLine(written[searchFrom..], atStart: searchFrom == 0);
        if (end >= 0)
        {
            var keep = searchFrom + end;
            var copy = written[..keep].ToArray();
            _header.ResetWrittenCount();
            _header.Write(copy);
            _headerDone = true;
        }
        else if (_header.WrittenCount >= _limit)
        {
            _headerDone = true;
        }
    }

    /// <summary>The offset just after the line end that precedes an empty line, or -1.</summary>
    private static int FindEmptyLine(ReadOnlySpan<byte> text, bool atStart)
    {
        // The message's very first line being empty means an empty header.
        if (atStart && (text.StartsWith("\r\n"u8) || text.StartsWith("\n"u8)))
        {
            return 0;
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != (byte)'\n')
            {
                continue;
            }

            var rest = text[(i + 1)..];
            if (rest.StartsWith("\n"u8) || rest.StartsWith("\r\n"u8))
            {
                return i + 1;
            }
        }

        return -1;
    }
}
