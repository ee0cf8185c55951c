using PopGate.Protocol;

namespace PopGate.Stores.Mbox;

/// <summary>A locked snapshot of an mbox file: the message offsets as they were at login.</summary>
internal sealed class MboxMaildrop : IMaildrop
{
    private readonly string _path;
    private readonly List<MboxMessage> _messages;
    private readonly long _snapshotLength;
    private readonly MaildropLock _lock;

    public MboxMaildrop(string path, List<MboxMessage> messages, long snapshotLength, MaildropLock maildropLock)
    {
        _path = path;
        _messages = messages;
        _snapshotLength = snapshotLength;
        _lock = maildropLock;
        Messages = messages.ConvertAll(m => new MessageEntry(m.Uid, m.WireSize));
    }

    public IReadOnlyList<MessageEntry> Messages { get; }

    public async ValueTask WriteMessageAsync(int index, IMessageSink sink, int? bodyLines, CancellationToken cancellationToken)
    {
        var message = _messages[index];
        var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (file.ConfigureAwait(false))
        {
            if (file.Length < _snapshotLength)
            {
                throw new MaildropException(ResponseCodes.SysTemp, "the mbox file was changed by another program");
            }

            // Copy the message in runs between the quoting '>' characters that are to be dropped.
            var position = message.ContentStart;
            foreach (var quote in message.QuoteOffsets)
            {
                if (!await CopyAsync(file, position, quote, sink, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                position = quote + 1;
            }

            await CopyAsync(file, position, message.ContentEnd, sink, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async ValueTask<bool> CopyAsync(FileStream file, long from, long to, IMessageSink sink, CancellationToken cancellationToken)
    {
        if (to <= from)
        {
            return true;
        }

        file.Position = from;
        var counter = new CountingSink(sink);
        await StreamCopy.ToSinkAsync(file, counter, to - from, cancellationToken).ConfigureAwait(false);
        return !counter.Stopped;
    }

    public async ValueTask CommitAsync(IReadOnlyCollection<int> deleted, CancellationToken cancellationToken)
    {
        if (deleted.Count == 0)
        {
            return;
        }

        var removed = new HashSet<int>(deleted);
        await MboxRewriter.RemoveAsync(_path, _snapshotLength, _messages, removed, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        _lock.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Remembers whether the consumer asked to stop, so the next run is not sent.</summary>
    private sealed class CountingSink(IMessageSink inner) : IMessageSink
    {
        public bool Stopped { get; private set; }

        public async ValueTask<bool> WriteAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
        {
            var more = await inner.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
            Stopped |= !more;
            return more;
        }
    }
}
