using System.Buffers;
using System.IO.Pipelines;
using PopGate.Stores;

namespace PopGate.Imap;

/// <summary>
/// Reads whole responses from a <see cref="PipeReader"/>: tokens and text from what is buffered, literals in
/// chunks straight to a sink (a message is never held whole), everything bounded by <see cref="ImapLimits"/>.
/// It holds the pipe's current buffer between responses, so pipelined responses that arrived together are
/// parsed without another read.
/// </summary>
internal sealed class ImapResponseReader
{
    private readonly PipeReader _input;
    private readonly ImapLimits _limits;
    private readonly ResponseBuilder _builder;
    private ReadOnlySequence<byte> _buffer;
    private bool _holding;
    private bool _completed;
    private long _responseBytes;

    public ImapResponseReader(PipeReader input, ImapLimits limits)
    {
        _input = input;
        _limits = limits;
        _builder = new ResponseBuilder(limits.MaxKeptLiteral);
    }

    /// <summary>Octets received but not yet parsed.</summary>
    public long Buffered => _holding ? _buffer.Length : 0;

    public async ValueTask<ImapResponse> ReadAsync(IResponseHandler? handler, IoTimer timer)
    {
        _builder.Reset(handler);
        _responseBytes = 0;
        var step = Step.Token;
        while (true)
        {
            switch (step.Kind)
            {
                case StepKind.Token:
                    while (!TryTokens(out step))
                    {
                        await FillAsync(timer).ConfigureAwait(false);
                    }

                    break;
                case StepKind.Text:
                    while (!TryText(out step))
                    {
                        await FillAsync(timer).ConfigureAwait(false);
                    }

                    break;
                case StepKind.Literal:
                    step = await ReadLiteralAsync(step, timer).ConfigureAwait(false);
                    break;
                case StepKind.Deliver:
                    await step.Sink!.WriteAsync(step.Data, timer.CallerToken).ConfigureAwait(false);
                    step = _builder.AcceptDelivered(step.Length);
                    break;
                default:
                    return _builder.Result!;
            }
        }
    }

    /// <summary>Lets go of the pipe (before a TLS upgrade or at the end).</summary>
    public void Release()
    {
        if (_holding)
        {
            _input.AdvanceTo(_buffer.Start, _buffer.End);
            _holding = false;
            _buffer = default;
        }
    }

    private bool TryTokens(out Step step)
    {
        step = Step.Token;
        var reader = new SequenceReader<byte>(_buffer);
        try
        {
            while (true)
            {
                var status = ImapTokenizer.TryRead(ref reader, _limits.MaxTokenLength, out var token);
                if (status == OperationStatus.InvalidData)
                {
                    throw new ImapProtocolException("malformed response from the server (bad token or token too long)");
                }

                if (status == OperationStatus.NeedMoreData)
                {
                    return false;
                }

                step = _builder.Accept(token);
                if (step.Kind != StepKind.Token)
                {
                    return true;
                }
            }
        }
        finally
        {
            Consume(reader.Consumed);
        }
    }

    private bool TryText(out Step step)
    {
        step = default;
        var reader = new SequenceReader<byte>(_buffer);
        var status = ImapTokenizer.TryReadText(ref reader, _limits.MaxLineLength, out var text);
        if (status == OperationStatus.InvalidData)
        {
            throw new ImapProtocolException($"response line longer than {_limits.MaxLineLength} octets");
        }

        if (status == OperationStatus.NeedMoreData)
        {
            return false;
        }

        step = text.IsSingleSegment ? _builder.AcceptText(text.FirstSpan) : _builder.AcceptText(text.ToArray());
        Consume(reader.Consumed);
        return true;
    }

    private void Consume(long octets)
    {
        _buffer = _buffer.Slice(octets);
        _responseBytes += octets;
        if (_responseBytes > _limits.MaxLineLength)
        {
            throw new ImapProtocolException($"response longer than {_limits.MaxLineLength} octets besides its literals");
        }
    }

    private async ValueTask<Step> ReadLiteralAsync(Step step, IoTimer timer)
    {
        if (step.Length > _limits.MaxLiteralSize)
        {
            throw new ImapProtocolException($"literal of {step.Length} octets is over the limit of {_limits.MaxLiteralSize}");
        }

        var kept = step.Keep ? new byte[step.Length] : null;
        var sink = step.Sink;
        var left = step.Length;
        while (left > 0)
        {
            if (_buffer.IsEmpty)
            {
                await FillAsync(timer).ConfigureAwait(false);
            }

            var chunk = _buffer.Slice(0, Math.Min(left, _buffer.Length));
            if (kept is not null)
            {
                chunk.CopyTo(kept.AsSpan((int)(step.Length - left)));
            }
            else if (sink is not null)
            {
                foreach (var segment in chunk)
                {
                    if (!await sink.WriteAsync(segment, timer.CallerToken).ConfigureAwait(false))
                    {
                        // The sink has enough (TOP); the rest is still read, to stay in step with the server.
                        sink = null;
                        break;
                    }
                }
            }

            _buffer = _buffer.Slice(chunk.Length);
            left -= chunk.Length;
        }

        return _builder.AcceptLiteral(kept, step.Length, streamed: step.Sink is not null);
    }

    private async ValueTask FillAsync(IoTimer timer)
    {
        if (_completed)
        {
            throw new ImapProtocolException("the server closed the connection");
        }

        var before = 0L;
        if (_holding)
        {
            before = _buffer.Length;
            _input.AdvanceTo(_buffer.Start, _buffer.End);
            _holding = false;
        }

        ReadResult result;
        try
        {
            result = await _input.ReadAsync(timer.Restart()).ConfigureAwait(false);
            timer.Pause();
        }
        catch (OperationCanceledException e)
        {
            throw timer.Translate(e, "the server's response");
        }
        catch (IOException e)
        {
            throw new ImapProtocolException("connection to the server failed: " + e.Message, e);
        }

        _buffer = result.Buffer;
        _holding = true;
        if (result.IsCanceled)
        {
            throw new ImapProtocolException("reading from the server was cancelled");
        }

        if (result.IsCompleted)
        {
            _completed = true;
            if (_buffer.Length <= before)
            {
                throw new ImapProtocolException("the server closed the connection");
            }
        }
    }
}
