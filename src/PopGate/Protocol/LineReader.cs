using System.Buffers;

namespace PopGate.Protocol;

/// <summary>What <see cref="LineReader.TryRead"/> found in the buffer.</summary>
public enum LineStatus
{
    /// <summary>A whole line was found.</summary>
    Line,
    /// <summary>No line end yet; read more.</summary>
    NeedMore,
    /// <summary>A whole line longer than allowed was found and skipped.</summary>
    TooLong,
    /// <summary>No line end within the limit: everything was consumed; skip up to the next line end.</summary>
    Overflow,
}

/// <summary>Finds one line in a byte sequence. Pure: no I/O, no allocation.</summary>
/// <remarks>
/// A line ends with LF; a CR right before it is dropped. Bare LF is accepted because real
/// clients send it, and refusing it gains nothing.
/// </remarks>
public static class LineReader
{
    /// <summary>Looks for a line of at most <paramref name="maxLength"/> octets (line end excluded).</summary>
    /// <param name="buffer">On <see cref="LineStatus.Line"/>, advanced past the line end.</param>
    /// <param name="maxLength">Longest line accepted, without its CRLF.</param>
    /// <param name="line">The line without CR LF.</param>
    public static LineStatus TryRead(ref ReadOnlySequence<byte> buffer, int maxLength, out ReadOnlySequence<byte> line)
    {
        var position = buffer.PositionOf((byte)'\n');
        if (position is null)
        {
            line = default;
            // Allow for a CR the next read may pair with an LF.
            if (buffer.Length > maxLength + 1)
            {
                buffer = buffer.Slice(buffer.End);
                return LineStatus.Overflow;
            }

            return LineStatus.NeedMore;
        }

        line = buffer.Slice(0, position.Value);
        var next = buffer.GetPosition(1, position.Value);
        if (!line.IsEmpty && EndsWithCr(line))
        {
            line = line.Slice(0, line.Length - 1);
        }

        if (line.Length > maxLength)
        {
            buffer = buffer.Slice(next);
            line = default;
            return LineStatus.TooLong;
        }

        buffer = buffer.Slice(next);
        return LineStatus.Line;
    }

    private static bool EndsWithCr(in ReadOnlySequence<byte> line)
    {
        if (line.IsSingleSegment)
        {
            return line.FirstSpan[^1] == (byte)'\r';
        }

        Span<byte> last = stackalloc byte[1];
        line.Slice(line.Length - 1).CopyTo(last);
        return last[0] == (byte)'\r';
    }
}
