using PopGate.Client;
using PopGate.Protocol;

namespace PopGate.Stores.Pop3;

/// <summary>A message of the upstream account: its number there, and how it is listed here.</summary>
internal sealed record Pop3UpstreamMessage(int Number, MessageEntry Entry);

/// <summary>An open upstream POP3 session holding the snapshot.</summary>
internal sealed class Pop3UpstreamMaildrop : IMaildrop
{
    private readonly Pop3Client _client;
    private readonly List<Pop3UpstreamMessage> _messages;
    private readonly MaildropLock _lock;
    private bool _closed;

    public Pop3UpstreamMaildrop(Pop3Client client, List<Pop3UpstreamMessage> messages, MaildropLock maildropLock)
    {
        _client = client;
        _messages = messages;
        _lock = maildropLock;
        Messages = messages.ConvertAll(m => m.Entry);
    }

    public IReadOnlyList<MessageEntry> Messages { get; }

    public async ValueTask WriteMessageAsync(int index, IMessageSink sink, int? bodyLines, CancellationToken cancellationToken)
    {
        var number = _messages[index].Number;
        Pop3BodyConsumer<bool> copy = async (body, token) =>
        {
            while (true)
            {
                var read = await body.ReadAsync(token).ConfigureAwait(false);
                var more = true;
                foreach (var segment in read.Buffer)
                {
                    if (more && !await sink.WriteAsync(segment, token).ConfigureAwait(false))
                    {
                        more = false;
                    }
                }

                body.AdvanceTo(read.Buffer.End);
                if (!more || read.IsCompleted)
                {
                    return true;
                }
            }
        };
        try
        {
            await (bodyLines is { } lines ? _client.TopAsync(number, lines, copy, cancellationToken) : _client.RetrAsync(number, copy, cancellationToken)).ConfigureAwait(false);
        }
        catch (Pop3CommandException e)
        {
            throw new MaildropException(e.ResponseCode ?? ResponseCodes.SysTemp, "upstream: " + e.ServerText, e);
        }
        catch (Pop3Exception e)
        {
            throw new MaildropException(ResponseCodes.SysTemp, "upstream POP3 server failed: " + e.Message, e);
        }
    }

    public async ValueTask CommitAsync(IReadOnlyCollection<int> deleted, CancellationToken cancellationToken)
    {
        try
        {
            var deletions = deleted.Select(i => _client.DeleAsync(_messages[i].Number, cancellationToken)).ToList();
            var quit = _client.QuitAsync(cancellationToken);
            await Task.WhenAll(deletions).ConfigureAwait(false);
            await quit.ConfigureAwait(false);
            _closed = true;
        }
        catch (Pop3Exception e)
        {
            throw new MaildropException(ResponseCodes.SysTemp, "the upstream server did not confirm the deletions: " + e.Message, e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_closed)
            {
                // No DELE was sent, so a QUIT changes nothing upstream; it only ends the session politely.
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _client.QuitAsync(timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is Pop3Exception or OperationCanceledException)
        {
        }
        finally
        {
            await _client.DisposeAsync().ConfigureAwait(false);
            _lock.Dispose();
        }
    }
}
