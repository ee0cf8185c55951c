using System.Buffers;
using PopGate.Stores;

namespace PopGate.Imap;

public sealed partial class ImapClient
{
    /// <summary>
    /// Runs a batch: sends commands ahead of their replies (at most <see cref="ImapConnectionOptions.PipelineWindow"/>
    /// in flight, and nothing after a command that waits for "+"), reads replies in order, hands untagged responses to
    /// the oldest command in flight. Returns when every command has its tagged reply; NO and BAD are left in
    /// <see cref="BatchItem.Status"/>. Any fault makes the client unusable and throws <see cref="ImapProtocolException"/>.
    /// </summary>
    public async Task RunAsync(IReadOnlyList<BatchItem> items, CancellationToken cancellationToken)
    {
        if (_fault is not null)
        {
            throw new ImapProtocolException("the IMAP connection is no longer usable: " + _fault.Message, _fault);
        }

        using var timer = new IoTimer(_options.Limits.Timeout, cancellationToken);
        var dispatcher = new Dispatcher(items);
        var sent = 0;
        var window = Math.Max(1, _options.PipelineWindow);
        try
        {
            while (dispatcher.Oldest < items.Count)
            {
                var inFlight = sent - dispatcher.Oldest;
                var blocked = sent > 0 && items[sent - 1].Command.EndsFlight && items[sent - 1].Status is null;
                if (sent < items.Count && !blocked && (inFlight == 0 || inFlight <= window / 2))
                {
                    while (sent < items.Count && sent - dispatcher.Oldest < window)
                    {
                        var item = items[sent++];
                        item.Command.Tag = NextTag();
                        item.Parts = item.Command.Build();
                        item.NextPart = 1;
                        Write(System.Text.Encoding.ASCII.GetBytes(item.Command.Tag + " "));
                        Write(item.Parts[0]);
                        Trace(item, item.Parts[0]);
                        if (item.Command.EndsFlight)
                        {
                            break;
                        }
                    }

                    await _transport.FlushAsync(timer).ConfigureAwait(false);
                }

                var response = await _transport.Reader.ReadAsync(dispatcher, timer).ConfigureAwait(false);
                _options.Transcript?.Invoke("S: " + response);
                UpdateCapabilities(response);
                switch (response)
                {
                    case ImapStatusResponse { Tag: { } tag } tagged:
                        if (dispatcher.Complete(tag, sent, tagged) is { Required: true, Succeeded: false })
                        {
                            for (; sent < items.Count; sent++)
                            {
                                items[sent].Skip();
                            }

                            dispatcher.SkipTo(sent);
                        }

                        break;
                    case ImapContinuation continuation:
                        await ContinueAsync(sent > 0 ? items[sent - 1] : null, continuation, timer).ConfigureAwait(false);
                        break;
                    default:
                        if (response is ImapStatusResponse { Status: ImapStatus.Bye } bye)
                        {
                            _bye = bye.Text;
                        }

                        dispatcher.Untagged(response, sent);
                        break;
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _fault = e;
            if (_bye is not null && e is ImapProtocolException)
            {
                throw new ImapProtocolException($"the server ended the session ({Describe(items)}): BYE {_bye}", e);
            }

            throw;
        }
        catch (OperationCanceledException e)
        {
            // A command cut off midway leaves the connection out of step with the server.
            _fault = e;
            throw;
        }
    }

    private void Write(ReadOnlySpan<byte> bytes) => _transport.Output.Write(bytes);

    /// <summary>Shows a sent part in the transcript: its first line, secrets hidden, literal contents as a length.</summary>
    private void Trace(BatchItem item, byte[] part)
    {
        if (_options.Transcript is not { } transcript)
        {
            return;
        }

        var first = item.Parts![0] == part;
        var lineEnd = Array.IndexOf(part, (byte)'\n');
        var line = System.Text.Encoding.UTF8.GetString(part, 0, lineEnd < 0 ? part.Length : lineEnd).TrimEnd('\r');
        var text = item.Command.Secret
            ? (first ? $"{item.Command.Tag} {item.Command.Name} <secret>" : "<secret>")
            : (first ? item.Command.Tag + " " + line : $"<{part.Length} octets>");
        transcript("C: " + (lineEnd >= 0 && lineEnd < part.Length - 1 && !item.Command.Secret ? text + $" <+{part.Length - lineEnd - 1} octets>" : text));
    }

    private async ValueTask ContinueAsync(BatchItem? last, ImapContinuation continuation, IoTimer timer)
    {
        if (last is null || last.Status is not null)
        {
            throw new ImapProtocolException($"unexpected continuation from the server: + {continuation.Text}");
        }

        if (last.NextPart < last.Parts!.Count)
        {
            var part = last.Parts[last.NextPart++];
            Write(part);
            Trace(last, part);
        }
        else if (last.Command.Challenge is { } answer)
        {
            Write(answer(continuation.Text));
            Write("\r\n"u8);
            _options.Transcript?.Invoke("C: <secret>");
        }
        else
        {
            throw new ImapProtocolException($"unexpected continuation for {last.Command.Name}: + {continuation.Text}");
        }

        await _transport.FlushAsync(timer).ConfigureAwait(false);
    }

    /// <summary>Routes responses to the commands of a batch.</summary>
    private sealed class Dispatcher(IReadOnlyList<BatchItem> items) : IResponseHandler
    {
        /// <summary>Index of the oldest command without its tagged reply.</summary>
        public int Oldest { get; private set; }

        public IMessageSink? SinkFor(FetchData fetch, string section, long length) =>
            Oldest < items.Count ? items[Oldest].SinkFor(fetch, section, length) : null;

        public void Untagged(ImapResponse response, int sent)
        {
            // Unsolicited data with nothing in flight (none can arrive then in a batch) is dropped.
            if (Oldest < sent)
            {
                items[Oldest].OnUntagged(response);
            }
        }

        public BatchItem Complete(string tag, int sent, ImapStatusResponse tagged)
        {
            // Servers may finish independent commands out of order (RFC 3501 5.5): match the tag among those in flight.
            for (var i = Oldest; i < sent; i++)
            {
                if (items[i].Status is null && items[i].Command.Tag == tag)
                {
                    items[i].Complete(tagged);
                    SkipTo(sent);
                    return items[i];
                }
            }

            throw new ImapProtocolException($"reply with an unknown tag from the server: {tagged}");
        }

        /// <summary>Moves past the commands that have their status.</summary>
        public void SkipTo(int sent)
        {
            while (Oldest < sent && items[Oldest].Status is not null)
            {
                Oldest++;
            }
        }
    }
}
