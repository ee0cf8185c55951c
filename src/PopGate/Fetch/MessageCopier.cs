using System.Buffers;
using System.IO.Pipelines;

namespace PopGate.Fetch;

/// <summary>
/// Copies a message body from the connection to a stream line by line, converting CRLF to LF when asked and
/// quoting "From " lines the mboxrd way when asked. Only the current line is looked at: a line longer than
/// <see cref="MaxHeldLine"/> is written in pieces, so memory stays bounded whatever the message.
/// </summary>
internal static class MessageCopier
{
    /// <summary>The longest unfinished line kept back while waiting for its end.</summary>
    public const int MaxHeldLine = 16 * 1024;

    public static async ValueTask<CopyResult> CopyAsync(PipeReader body, Stream output, LineEnds lineEnds, bool mboxQuote, CancellationToken cancellationToken)
    {
        // One pooled block gathers the small writes (a line each) so the file needs no buffer of its own.
        var block = ArrayPool<byte>.Shared.Rent(BlockSize);
        try
        {
            var state = new CopyState(output, block, lineEnds == LineEnds.Lf, mboxQuote);
            while (true)
            {
                var result = await body.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                var consumed = state.Process(buffer, result.IsCompleted);
                body.AdvanceTo(consumed, buffer.End);
                if (result.IsCompleted)
                {
                    state.Drain();
                    return new CopyResult(state.Written, state.EndsWithLineEnd);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(block);
        }
    }

    private const int BlockSize = 64 * 1024;

    /// <summary>True when a line (its first bytes at least) is ">*From ", which mboxrd quotes with one more '>'.</summary>
    public static bool NeedsQuote(ReadOnlySpan<byte> start)
    {
        var i = 0;
        while (i < start.Length && start[i] == (byte)'>')
        {
            i++;
        }

        return start[i..].StartsWith("From "u8);
    }

    private sealed class CopyState(Stream output, byte[] block, bool toLf, bool mboxQuote)
    {
        private bool _midLine;

        /// <summary>Octets gathered in the block, not yet written to the output.</summary>
        private int Pending { get; set; }

        public void Drain()
        {
            if (Pending > 0)
            {
                output.Write(block, 0, Pending);
                Pending = 0;
            }
        }

        public long Written { get; private set; }

        public bool EndsWithLineEnd { get; private set; } = true;

        public SequencePosition Process(ReadOnlySequence<byte> buffer, bool completed)
        {
            return mboxQuote ? ProcessLines(buffer, completed) : ProcessBlocks(buffer, completed);
        }

        /// <summary>
        /// Without quoting no line needs to be looked at: whole blocks are written, and with LF conversion only the
        /// CR of each CRLF is left out (found with a vectorised search). A CR at the very end waits for what follows.
        /// </summary>
        private SequencePosition ProcessBlocks(ReadOnlySequence<byte> buffer, bool completed)
        {
            if (buffer.IsEmpty)
            {
                return buffer.End;
            }

            var data = !completed && EndsWithCr(buffer) ? buffer.Slice(0, buffer.Length - 1) : buffer;
            if (!toLf)
            {
                Write(data);
            }
            else
            {
                var pendingCr = false;
                foreach (var segment in data)
                {
                    var span = segment.Span;
                    if (pendingCr && span.Length > 0)
                    {
                        var lf = span[0] == (byte)'\n';
                        Write(lf ? "\n"u8 : "\r"u8);
                        span = lf ? span[1..] : span;
                        pendingCr = false;
                    }

                    while (span.Length > 0)
                    {
                        var cr = span.IndexOf((byte)'\r');
                        if (cr < 0)
                        {
                            Write(span);
                            break;
                        }

                        Write(span[..cr]);
                        if (cr + 1 == span.Length)
                        {
                            pendingCr = true;
                            break;
                        }

                        // CRLF loses its CR; a lone CR stays and what follows it is looked at again.
                        if (span[cr + 1] == (byte)'\n')
                        {
                            Write("\n"u8);
                            span = span[(cr + 2)..];
                        }
                        else
                        {
                            Write("\r"u8);
                            span = span[(cr + 1)..];
                        }
                    }
                }

                if (pendingCr)
                {
                    Write("\r"u8);
                }
            }

            if (!data.IsEmpty)
            {
                EndsWithLineEnd = ByteAt(data, data.Length - 1) == (byte)'\n';
            }

            return data.End;
        }

        private SequencePosition ProcessLines(ReadOnlySequence<byte> buffer, bool completed)
        {
            var reader = new SequenceReader<byte>(buffer);
            while (reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n', advancePastDelimiter: true))
            {
                WriteLine(line, hasEnd: true);
            }

            var rest = buffer.Slice(reader.Position);
            if (completed)
            {
                if (!rest.IsEmpty)
                {
                    WriteLine(rest, hasEnd: false);
                }

                return buffer.End;
            }

            if (rest.Length <= MaxHeldLine)
            {
                return reader.Position;
            }

            // A CR at the very end may be the start of a CRLF: keep it back.
            var piece = EndsWithCr(rest) ? rest.Slice(0, rest.Length - 1) : rest;
            WriteLine(piece, hasEnd: false);
            return piece.End;
        }

        private void WriteLine(ReadOnlySequence<byte> line, bool hasEnd)
        {
            if (!_midLine && mboxQuote && StartsLikeFrom(line))
            {
                Write(">"u8);
            }

            // A complete line arrives without its LF; a CR before it goes when converting.
            if (hasEnd && toLf && line.Length >= 1 && ByteAt(line, line.Length - 1) == (byte)'\r')
            {
                Write(line.Slice(0, line.Length - 1));
            }
            else
            {
                Write(line);
            }

            if (hasEnd)
            {
                Write("\n"u8);
            }

            _midLine = !hasEnd;
            EndsWithLineEnd = hasEnd;
        }

        private static bool StartsLikeFrom(ReadOnlySequence<byte> line)
        {
            Span<byte> start = stackalloc byte[256];
            var length = (int)Math.Min(line.Length, start.Length);
            line.Slice(0, length).CopyTo(start);
            return NeedsQuote(start[..length]);
        }

        private static bool EndsWithCr(ReadOnlySequence<byte> rest) => ByteAt(rest, rest.Length - 1) == (byte)'\r';

        private static byte ByteAt(ReadOnlySequence<byte> sequence, long index) => sequence.Slice(index, 1).FirstSpan[0];

        private void Write(ReadOnlySequence<byte> bytes)
        {
            foreach (var segment in bytes)
            {
                Write(segment.Span);
            }
        }

        private void Write(ReadOnlySpan<byte> bytes)
        {
            Written += bytes.Length;
            if (Pending + bytes.Length > block.Length)
            {
                Drain();
                if (bytes.Length >= block.Length)
                {
                    output.Write(bytes);
                    return;
                }
            }

            bytes.CopyTo(block.AsSpan(Pending));
            Pending += bytes.Length;
        }
    }
}

/// <summary>Octets written, and whether the last one ended a line.</summary>
internal readonly record struct CopyResult(long Written, bool EndsWithLineEnd);
