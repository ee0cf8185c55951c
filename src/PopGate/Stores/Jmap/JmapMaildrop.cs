using PopGate.Jmap;

namespace PopGate.Stores.Jmap;

/// <summary>
/// A JMAP mailbox as listed at login; messages are downloaded as they are asked for. When a POP3 client pipelines
/// its RETRs, the next blobs are downloaded a few at a time beside the one being sent (each download costs the
/// server a request of its own), kept in memory within <see cref="JmapStoreOptions.ReadAheadBytes"/>.
/// </summary>
internal sealed class JmapMaildrop : IMaildrop, IReadAhead
{
    private const int MaxDownloadsAhead = 6;
    private const int KeptChunk = 64 * 1024;

    private readonly JmapClient _client;
    private readonly JmapSession _session;
    private readonly JmapListingResult _listing;
    private readonly JmapStoreOptions _options;
    private readonly BlobSizeCache _sizes;
    private readonly MaildropLock _lock;
    private readonly Dictionary<int, Task<byte[]?>> _ahead = [];
    private readonly CancellationTokenSource _stop = new();
    private long _aheadBytes;
    private IReadOnlyList<int> _upcoming = [];

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

    /// <summary>The listing was a kept one brought up to date with Email/changes.</summary>
    internal bool ListedFromChanges => _listing.FromChanges;

    public void Upcoming(IReadOnlyList<int> indexes) => _upcoming = indexes;

    public async ValueTask WriteMessageAsync(int index, IMessageSink sink, int? bodyLines, CancellationToken cancellationToken)
    {
        var upcoming = _upcoming;
        _upcoming = [];
        byte[]? kept = null;
        if (_ahead.Remove(index, out var pending))
        {
            _aheadBytes -= Messages[index].Size;
            kept = await pending.ConfigureAwait(false);
        }

        StartAhead(index, upcoming);
        if (kept is not null)
        {
            for (var offset = 0; offset < kept.Length; offset += KeptChunk)
            {
                if (!await sink.WriteAsync(kept.AsMemory(offset, Math.Min(KeptChunk, kept.Length - offset)), cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }

            return;
        }

        // Not downloaded ahead, or that download failed: fetched now, so a failure reaches the client.
        var email = _listing.Emails[index];
        var measured = await BlobTransfer.CopyAsync(_client, _session, email.BlobId, sink, _options.DownloadIdleTimeout, cancellationToken).ConfigureAwait(false);
        Remember(index, measured);
    }

    /// <summary>Starts downloads of the queued messages while fewer than a few run and the budget allows.</summary>
    private void StartAhead(int current, IReadOnlyList<int> upcoming)
    {
        foreach (var next in upcoming)
        {
            if (_ahead.Count >= MaxDownloadsAhead)
            {
                return;
            }

            var size = Messages[next].Size;
            if (next == current || _ahead.ContainsKey(next) || _aheadBytes + size > _options.ReadAheadBytes)
            {
                continue;
            }

            _aheadBytes += size;
            _ahead[next] = DownloadAsync(next, _stop.Token);
        }
    }

    /// <summary>The whole blob in memory, or null when the download failed (the RETR then tries again itself).</summary>
    private async Task<byte[]?> DownloadAsync(int index, CancellationToken cancellationToken)
    {
        try
        {
            var sink = new MemorySink();
            var measured = await BlobTransfer.CopyAsync(_client, _session, _listing.Emails[index].BlobId, sink, _options.DownloadIdleTimeout, cancellationToken).ConfigureAwait(false);
            Remember(index, measured);
            return sink.ToArray();
        }
        catch (Exception e) when (e is MaildropException or OperationCanceledException or HttpRequestException or IOException)
        {
            return null;
        }
    }

    private void Remember(int index, long? measured)
    {
        if (measured is { } wire && wire != Messages[index].Size)
        {
            // The listed size was wrong for this session; the next login lists the size just measured.
            _sizes.Set(_session.AccountId, _listing.Emails[index].BlobId, wire);
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

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_ahead.Values).ConfigureAwait(false);
        _ahead.Clear();
        _stop.Dispose();
        _lock.Dispose();
    }
}
