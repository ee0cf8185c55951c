using System.Buffers;

namespace PopGate.Imap;

/// <summary>
/// Splits server responses into tokens. Pure: it reads from a <see cref="SequenceReader{T}"/> and says
/// <see cref="OperationStatus.NeedMoreData"/> (leaving the reader where it was) when a token is not complete yet,
/// so any prefix and any split of the input into segments gives the same tokens once all of it has arrived.
/// </summary>
/// <remarks>
/// Lenient where servers differ and nothing is lost: several spaces count as one, a bare LF ends a line, and an
/// atom may hold any byte but the delimiters (flags such as \* and names such as BODY[HEADER.FIELDS (TO)]&lt;0&gt;
/// are single atoms: a '[' inside an atom runs to its ']', spaces and parentheses included). The text after a
/// status word is not tokenized at all: the response reader takes it as raw text.
/// </remarks>
public static class ImapTokenizer
{
    /// <summary>Reads one token, skipping the spaces before it.</summary>
    /// <param name="reader">Advanced past the token on <see cref="OperationStatus.Done"/>; else left as it was.</param>
    /// <param name="maxLength">Longest atom, quoted string or literal header accepted.</param>
    /// <param name="token">The token; its value points into the reader's sequence.</param>
    public static OperationStatus TryRead(ref SequenceReader<byte> reader, int maxLength, out ImapToken token)
    {
        token = default;
        var r = reader;
        r.AdvancePast((byte)' ');
        if (!r.TryPeek(out var first))
        {
            return OperationStatus.NeedMoreData;
        }

        OperationStatus status;
        switch (first)
        {
            case (byte)'\r':
                if (!r.TryPeek(1, out var next))
                {
                    return OperationStatus.NeedMoreData;
                }

                if (next != (byte)'\n')
                {
                    return OperationStatus.InvalidData;
                }

                r.Advance(2);
                token = new ImapToken(ImapTokenKind.LineEnd);
                status = OperationStatus.Done;
                break;
            case (byte)'\n':
                r.Advance(1);
                token = new ImapToken(ImapTokenKind.LineEnd);
                status = OperationStatus.Done;
                break;
            case (byte)'(':
                r.Advance(1);
                token = new ImapToken(ImapTokenKind.ListStart);
                status = OperationStatus.Done;
                break;
            case (byte)')':
                r.Advance(1);
                token = new ImapToken(ImapTokenKind.ListEnd);
                status = OperationStatus.Done;
                break;
            case (byte)'"':
                status = ReadQuoted(ref r, maxLength, out token);
                break;
            case (byte)'{':
                status = ReadLiteralHeader(ref r, isBinary: false, out token);
                break;
            case (byte)'~':
                if (!r.TryPeek(1, out var brace))
                {
                    return OperationStatus.NeedMoreData;
                }

                if (brace == (byte)'{')
                {
                    r.Advance(1);
                    status = ReadLiteralHeader(ref r, isBinary: true, out token);
                }
                else
                {
                    status = ReadAtom(ref r, maxLength, out token);
                }

                break;
            default:
                status = ReadAtom(ref r, maxLength, out token);
                break;
        }

        if (status == OperationStatus.Done)
        {
            reader = r;
        }

        return status;
    }

    /// <summary>Reads the raw text up to the end of the line (CRLF or LF), without the line end.</summary>
    /// <remarks>One space before the text is skipped; the line end is consumed.</remarks>
    public static OperationStatus TryReadText(ref SequenceReader<byte> reader, int maxLength, out ReadOnlySequence<byte> text)
    {
        text = default;
        var r = reader;
        r.IsNext((byte)' ', advancePast: true);
        var start = r.Position;
        if (!r.TryAdvanceTo((byte)'\n', advancePastDelimiter: false))
        {
            return r.Remaining > maxLength + 1 ? OperationStatus.InvalidData : OperationStatus.NeedMoreData;
        }

        var line = r.Sequence.Slice(start, r.Position);
        if (!line.IsEmpty && line.Slice(line.Length - 1).FirstSpan[0] == (byte)'\r')
        {
            line = line.Slice(0, line.Length - 1);
        }

        if (line.Length > maxLength)
        {
            return OperationStatus.InvalidData;
        }

        r.Advance(1);
        text = line;
        reader = r;
        return OperationStatus.Done;
    }

    private static OperationStatus ReadQuoted(ref SequenceReader<byte> r, int maxLength, out ImapToken token)
    {
        token = default;
        r.Advance(1);
        var start = r.Position;
        long length = 0;
        while (r.TryRead(out var b))
        {
            if (b == (byte)'"')
            {
                var value = r.Sequence.Slice(start, length);
                token = new ImapToken(ImapTokenKind.Quoted, value);
                return OperationStatus.Done;
            }

            if (b is (byte)'\r' or (byte)'\n')
            {
                return OperationStatus.InvalidData;
            }

            length++;
            if (b == (byte)'\\')
            {
                if (!r.TryRead(out _))
                {
                    return OperationStatus.NeedMoreData;
                }

                length++;
            }

            if (length > maxLength)
            {
                return OperationStatus.InvalidData;
            }
        }

        return OperationStatus.NeedMoreData;
    }

    private static OperationStatus ReadLiteralHeader(ref SequenceReader<byte> r, bool isBinary, out ImapToken token)
    {
        token = default;
        r.Advance(1);
        long length = 0;
        var digits = 0;
        while (true)
        {
            if (!r.TryRead(out var b))
            {
                return OperationStatus.NeedMoreData;
            }

            if (b is >= (byte)'0' and <= (byte)'9')
            {
                if (++digits > 18)
                {
                    return OperationStatus.InvalidData;
                }

                length = (length * 10) + (b - '0');
                continue;
            }

            // A non-synchronizing "{n+}" never comes from a server, but costs nothing to accept.
            if (b == (byte)'+' && r.TryPeek(out var close) && close == (byte)'}')
            {
                continue;
            }

            if (b != (byte)'}' || digits == 0)
            {
                return OperationStatus.InvalidData;
            }

            break;
        }

        if (!r.TryRead(out var end))
        {
            return OperationStatus.NeedMoreData;
        }

        if (end == (byte)'\r')
        {
            if (!r.TryRead(out end))
            {
                return OperationStatus.NeedMoreData;
            }
        }

        if (end != (byte)'\n')
        {
            return OperationStatus.InvalidData;
        }

        token = new ImapToken(ImapTokenKind.Literal, literalLength: length, isBinary: isBinary);
        return OperationStatus.Done;
    }

    private static OperationStatus ReadAtom(ref SequenceReader<byte> r, int maxLength, out ImapToken token)
    {
        token = default;
        var start = r.Position;
        long length = 0;
        var inBrackets = false;
        while (r.TryPeek(out var b))
        {
            if (inBrackets)
            {
                if (b is (byte)'\r' or (byte)'\n')
                {
                    return OperationStatus.InvalidData;
                }

                inBrackets = b != (byte)']';
            }
            else if (b is (byte)' ' or (byte)'(' or (byte)')' or (byte)'\r' or (byte)'\n' or (byte)'"' or (byte)'{')
            {
                if (length == 0)
                {
                    return OperationStatus.InvalidData;
                }

                token = new ImapToken(ImapTokenKind.Atom, r.Sequence.Slice(start, length));
                return OperationStatus.Done;
            }
            else if (b == (byte)'[')
            {
                inBrackets = true;
            }

            r.Advance(1);
            if (++length > maxLength)
            {
                return OperationStatus.InvalidData;
            }
        }

        return OperationStatus.NeedMoreData;
    }
}
