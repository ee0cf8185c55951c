using PopGate.Jmap;

namespace PopGate.Stores.Jmap;

/// <summary>A JMAP mailbox as listed at login; messages are downloaded as they are asked for.</summary>
internal sealed class JmapMaildrop : IMaildrop
{
    private readonly JmapClient _client;
    private readonly JmapSession _session;
    private readonly JmapListingResult _listing;
    private readonly JmapStoreOptions _options;
    private readonly BlobSizeCache _sizes;
    private readonly MaildropLock _lock;

    public JmapMaildrop(JmapClient client, JmapSession session, JmapListingResult listing, IReadOnlyList<MessageEntry> entries, JmapStoreOptions options, BlobSizeCache sizes, MaildropLock maildropLock)
    {
        _client = client;
        _session = session;
        _listing = listing;
        _options = options;
        _sizes = sizes;
        _lock = maildropLock;
        Messages = entries;
    }

    public IReadOnlyList<MessageEntry> Messages { get; }

    public async ValueTask WriteMessageAsync(int index, IMessageSink sink, int? bodyLines, CancellationToken cancellationToken)
    {
        var email = _listing.Emails[index];
        var measured = await BlobTransfer.CopyAsync(_client, _session, email.BlobId, sink, _options.DownloadIdleTimeout, cancellationToken).ConfigureAwait(false);
        if (measured is { } wire && wire != Messages[index].Size)
        {
            // The listed size was wrong for this session; the next login lists the size just measured.
            _sizes.Set(_session.AccountId, email.BlobId, wire);
        }
    }

    public async ValueTask CommitAsync(IReadOnlyCollection<int> deleted, CancellationToken cancellationToken)
    {
        if (deleted.Count == 0)
        {
            return;
        }

        var ids = deleted.Distinct().Select(i => _listing.Emails[i].Id).ToList();
        try
        {
            await JmapCommit.RemoveAsync(_client, _session, _listing, ids, _options.MoveToTrash, cancellationToken).ConfigureAwait(false);
        }
        catch (JmapException e)
        {
            throw JmapErrors.ToMaildrop(e);
        }
    }

    public ValueTask DisposeAsync()
    {
        _lock.Dispose();
        return ValueTask.CompletedTask;
    }
}
