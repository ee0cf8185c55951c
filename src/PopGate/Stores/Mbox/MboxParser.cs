using System.Buffers;

namespace PopGate.Stores.Mbox;

/// <summary>
/// Finds the messages of an mbox file in one sequential pass: a message starts at a "From " line that opens the file
/// or follows a blank line; the blank line before it separates and belongs to no message. Records the quoted
/// "From " lines to unquote and the exact wire size of each message, so no message needs reading again to list it.
/// </summary>
internal static class MboxParser
{
    // Enough of a line's start to see ">>>...From " with generous quoting depth.
    private const int HeadBytes = 256;

    public static List<MboxMessage> Parse(Stream file, MboxFormat format)
    {
        var parser = new Scan(format);
        var buffer = ArrayPool<byte>.Shared.Rent(256 * 1024);
        try
        {
            long bufferOffset = 0;
            int pos = 0, len = 0;
            var eof = false;
            var inLine = false;
            var previousByte = (byte)0;
            while (true)
            {
                if (!eof && len - pos < HeadBytes)
                {
                    Buffer.BlockCopy(buffer, pos, buffer, 0, len - pos);
                    bufferOffset += pos;
                    len -= pos;
                    pos = 0;
                    while (!eof && len < buffer.Length)
                    {
                        var n = file.Read(buffer, len, buffer.Length - len);
                        eof = n == 0;
                        len += n;
                    }
                }

                if (pos == len)
                {
                    break;
                }

                var span = buffer.AsSpan(pos, len - pos);
                if (!inLine)
                {
                    parser.StartLine(bufferOffset + pos, span[..Math.Min(span.Length, HeadBytes)]);
                }

                var lf = span.IndexOf((byte)'\n');
                if (lf < 0)
                {
                    // The line goes on past this buffer.
                    inLine = true;
                    previousByte = span[^1];
                    pos = len;
                    continue;
                }

                var crBefore = lf > 0 ? span[lf - 1] == (byte)'\r' : previousByte == (byte)'\r';
                parser.EndLine(bufferOffset + pos + lf + 1, bareLf: !crBefore);
                inLine = false;
                previousByte = (byte)'\n';
                pos += lf + 1;
            }

            var fileEnd = bufferOffset + len;
            if (inLine)
            {
                parser.EndLine(fileEnd, bareLf: false, endsWithoutNewline: true);
            }

            return parser.Finish(fileEnd);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The line-by-line state of a parse.</summary>
    private sealed class Scan(MboxFormat format)
    {
        private readonly List<MboxMessage> _messages = [];
        private long _lineStart;
        private bool _lineIsFrom;
        private bool _lineIsEmpty;
        private long _quoteAt = -1;

        private bool _previousEmpty;
        private long _previousStart;
        private int _previousBareLf;

        private bool _open;
        private long _fromStart;
        private long _contentStart;
        private long _bareLfs;
        private List<long> _quotes = [];
        private bool _endsWithoutNewline;

        public void StartLine(long offset, ReadOnlySpan<byte> head)
        {
            _lineStart = offset;
            _lineIsFrom = head.StartsWith("From "u8);
            _lineIsEmpty = head.StartsWith("\n"u8) || head.StartsWith("\r\n"u8);
            _quoteAt = -1;
            if (head.Length > 0 && head[0] == (byte)'>')
            {
                var depth = 0;
                while (depth < head.Length && head[depth] == (byte)'>')
                {
                    depth++;
                }

                if (head[depth..].StartsWith("From "u8) && (format == MboxFormat.Mboxrd || depth == 1))
                {
                    _quoteAt = offset;
                }
            }
        }

        public void EndLine(long nextLineStart, bool bareLf, bool endsWithoutNewline = false)
        {
            var separatorHere = _lineIsFrom && (_lineStart == 0 || _previousEmpty);
            if (separatorHere)
            {
                Close(_previousEmpty && _open ? _previousStart : _lineStart, _previousEmpty && _open ? _previousBareLf : 0, _lineStart);
                _open = true;
                _fromStart = _lineStart;
                _contentStart = nextLineStart;
                _bareLfs = 0;
                _quotes = [];
                _previousEmpty = false;
                _previousBareLf = 0;
                _previousStart = _lineStart;
                return;
            }

            if (!_open)
            {
                throw new InvalidDataException("not an mbox file: it does not start with a \"From \" line");
            }

            if (_quoteAt >= 0)
            {
                _quotes.Add(_quoteAt);
            }

            _bareLfs += bareLf ? 1 : 0;
            _endsWithoutNewline = endsWithoutNewline;
            _previousEmpty = _lineIsEmpty;
            _previousStart = _lineStart;
            _previousBareLf = bareLf ? 1 : 0;
        }

        /// <summary>Ends the open message at <paramref name="contentEnd"/>; the line there (a separator) is not counted.</summary>
        private void Close(long contentEnd, int separatorBareLf, long rawEnd)
        {
            if (!_open)
            {
                return;
            }

            var length = contentEnd - _contentStart;
            var size = length + _bareLfs - separatorBareLf - _quotes.Count;
            if (length > 0 && _endsWithoutNewline && contentEnd == rawEnd)
            {
                size += 2;
            }

            _messages.Add(new MboxMessage(_fromStart, _contentStart, contentEnd, rawEnd, _quotes, size));
            _open = false;
        }

        public List<MboxMessage> Finish(long fileEnd)
        {
            Close(_previousEmpty ? _previousStart : fileEnd, _previousEmpty ? _previousBareLf : 0, fileEnd);
            return _messages;
        }
    }
}
