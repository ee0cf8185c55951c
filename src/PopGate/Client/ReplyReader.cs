using System.Buffers;
using System.IO.Pipelines;
using PopGate.Protocol;

namespace PopGate.Client;

/// <summary>
/// Reads replies from the connection: status lines, listing lines and dot-stuffed bodies, each read bounded by a
/// size limit and a deadline. Used only by the pipeline's reading loop, one reply at a time.
/// </summary>
internal sealed class ReplyReader
{
    private readonly Pop3Transport _transport;
    private readonly Pop3ClientOptions _options;
    private readonly CancellationToken _shutdown;
    private CancellationTokenSource _deadline;
    private CancellationTokenRegistration _shutdownLink;

    public ReplyReader(Pop3Transport transport, Pop3ClientOptions options, CancellationToken shutdown)
    {
        _transport = transport;
        _options = options;
        _shutdown = shutdown;
        _deadline = NewDeadline();
    }

    // One deadline serves every read; it is armed before a read and disarmed after. Shutting down cancels it too.
    private CancellationTokenSource NewDeadline()
    {
        var deadline = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _options.TimeProvider);
        _shutdownLink = _shutdown.Register(static d => ((CancellationTokenSource)d!).Cancel(), deadline);
        return deadline;
    }

    public IPop3Transcript? Transcript => _options.Transcript;

    public Pop3ClientOptions Options => _options;

    /// <summary>Reads the status line of a reply; the wait is bounded by the command timeout.</summary>
    public async ValueTask<Pop3Reply> ReadStatusAsync(TimeSpan timeout)
    {
        var line = await ReadLineAsync(timeout).ConfigureAwait(false);
        var reply = ReplyLineParser.Parse(line);
        Transcript?.ServerLine(ServerText.Decode(line));
        return reply ?? throw new Pop3ProtocolException($"the server sent '{Printable(line)}' where a reply (+OK or -ERR) was expected");
    }

    /// <summary>Reads one line of a reply, without its line end.</summary>
    public async ValueTask<byte[]> ReadLineAsync(TimeSpan timeout)
    {
        var input = _transport.Input;
        var max = Math.Max(1, _options.MaxReplyLine - 2);
        while (true)
        {
            var result = await ReadAsync(input, timeout).ConfigureAwait(false);
            var buffer = result.Buffer;
            switch (LineReader.TryRead(ref buffer, max, out var line))
            {
                case LineStatus.Line:
                    var bytes = line.ToArray();
                    input.AdvanceTo(buffer.Start);
                    return bytes;
                case LineStatus.TooLong:
                    input.AdvanceTo(buffer.Start);
                    throw new Pop3ProtocolException($"the server sent a reply line longer than {_options.MaxReplyLine} octets");
                default:
                    if (result.IsCompleted)
                    {
                        input.AdvanceTo(buffer.End);
                        throw new Pop3ConnectionException(buffer.IsEmpty
                            ? "the server closed the connection"
                            : "the server closed the connection in the middle of a reply line");
                    }

                    input.AdvanceTo(buffer.Start, buffer.End);
                    break;
            }
        }
    }

    /// <summary>
    /// Reads the lines of a multi-line listing up to its "." line, undoing dot-stuffing, passing each to
    /// <paramref name="onLine"/>. At most <see cref="Pop3ClientOptions.MaxListingLines"/> lines.
    /// </summary>
    public async ValueTask ReadListingAsync(Action<byte[]> onLine)
    {
        var count = 0;
        while (true)
        {
            var line = await ReadLineAsync(_options.IdleTimeout).ConfigureAwait(false);
            if (line is [(byte)'.'])
            {
                Transcript?.ServerLine(".");
                return;
            }

            if (++count > _options.MaxListingLines)
            {
                throw new Pop3ProtocolException($"the server sent a listing of more than {_options.MaxListingLines} lines");
            }

            var content = line is [(byte)'.', ..] ? line[1..] : line;
            Transcript?.ServerLine(ServerText.Decode(line));
            onLine(content);
        }
    }

    /// <summary>
    /// Streams a dot-stuffed body into <paramref name="output"/>, unstuffed, up to and without its "." line.
    /// <paramref name="flush"/> runs after each chunk; when it returns false the rest of the body is read and dropped.
    /// </summary>
    /// <returns>The octets of the body (all of them, including any dropped).</returns>
    public async ValueTask<long> ReadBodyAsync(IBufferWriter<byte> output, Func<ValueTask<bool>>? flush)
    {
        var input = _transport.Input;
        var unstuffer = new DotUnstuffer();
        var counter = new CountingWriter(output);
        while (true)
        {
            var result = await ReadAsync(input, _options.IdleTimeout).ConfigureAwait(false);
            var buffer = result.Buffer;
            long consumed = 0;
            foreach (var segment in buffer)
            {
                consumed += unstuffer.Decode(segment.Span, counter);
                if (unstuffer.IsDone)
                {
                    break;
                }
            }

            input.AdvanceTo(buffer.GetPosition(consumed));
            if (counter.Total > _options.MaxMessageSize)
            {
                throw new Pop3ProtocolException($"a message is larger than the limit of {_options.MaxMessageSize} octets");
            }

            if (flush is not null && counter.Pending > 0 && !counter.Discarding)
            {
                counter.Pending = 0;
                if (!await flush().ConfigureAwait(false))
                {
                    counter.Discard();
                }
            }

            if (unstuffer.IsDone)
            {
                Transcript?.ServerLine($"({counter.Total} octets of message data)");
                Transcript?.ServerLine(".");
                return counter.Total;
            }

            if (result.IsCompleted)
            {
                throw new Pop3ConnectionException("the server closed the connection in the middle of a message");
            }
        }
    }

    /// <summary>
    /// Writes an AUTH continuation line. Only the reading loop calls this, while an AUTH barrier keeps the writing
    /// loop away from the output.
    /// </summary>
    public async ValueTask SendContinuationAsync(byte[] line, string transcript)
    {
        Transcript?.ClientLine(transcript);
        try
        {
            await _transport.Output.WriteAsync(line, _shutdown).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new Pop3ConnectionException($"the connection was lost: {e.Message}", e);
        }
    }

    private async ValueTask<ReadResult> ReadAsync(PipeReader input, TimeSpan timeout)
    {
        _deadline.CancelAfter(timeout);
        try
        {
            return await input.ReadAsync(_deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!_shutdown.IsCancellationRequested)
        {
            throw new Pop3TimeoutException($"the server sent nothing for {timeout.TotalSeconds:0.#} s", timeout, e);
        }
        catch (IOException e)
        {
            throw new Pop3ConnectionException($"the connection was lost: {e.Message}", e);
        }
        finally
        {
            if (!_deadline.IsCancellationRequested)
            {
                _deadline.CancelAfter(Timeout.InfiniteTimeSpan);
            }
            else if (!_shutdown.IsCancellationRequested)
            {
                // The timer fired just as the read completed: the read counts, the spent deadline is replaced.
                _shutdownLink.Dispose();
                _deadline.Dispose();
                _deadline = NewDeadline();
            }
        }
    }

    internal static string Printable(ReadOnlySpan<byte> line)
    {
        var text = ServerText.Decode(line.Length > 80 ? line[..80] : line);
        return string.Concat(text.Select(c => char.IsControl(c) ? '?' : c)) + (line.Length > 80 ? "..." : string.Empty);
    }

    /// <summary>Counts what the unstuffer writes and can switch to dropping it.</summary>
    private sealed class CountingWriter : IBufferWriter<byte>
    {
        private IBufferWriter<byte> _inner;
        private byte[]? _scratch;

        public CountingWriter(IBufferWriter<byte> inner)
        {
            _inner = inner;
        }

        public long Total { get; private set; }

        public long Pending { get; set; }

        public bool Discarding => _scratch is not null;

        public void Discard()
        {
            _scratch = new byte[4096];
            _inner = null!;
        }

        public void Advance(int count)
        {
            Total += count;
            Pending += count;
            _inner?.Advance(count);
        }

        public Memory<byte> GetMemory(int sizeHint = 0) =>
            _scratch is null ? _inner.GetMemory(sizeHint) : Scratch(sizeHint);

        public Span<byte> GetSpan(int sizeHint = 0) =>
            _scratch is null ? _inner.GetSpan(sizeHint) : Scratch(sizeHint).Span;

        private Memory<byte> Scratch(int sizeHint)
        {
            if (_scratch!.Length < sizeHint)
            {
                _scratch = new byte[sizeHint];
            }

            return _scratch;
        }
    }
}
