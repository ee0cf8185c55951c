using System.Security.Cryptography;
using System.Text;
using PopGate.Protocol;
using PopGate.Stores;

namespace PopGate.Jmap.Server;

/// <summary>
/// The user's maildrop opened (and locked) for one API or download request, with its messages as JMAP emails.
/// After a commit the maildrop is reopened, since a maildrop commits only once.
/// </summary>
internal sealed class AccountSnapshot : IAsyncDisposable
{
    private readonly JmapAccount _account;
    private readonly JmapServerOptions _options;
    private IMaildrop? _maildrop;

    private AccountSnapshot(JmapAccount account, JmapServerOptions options)
    {
        _account = account;
        _options = options;
    }

    public IReadOnlyList<EmailView> Emails { get; private set; } = [];
    public Dictionary<string, EmailView> ById { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, EmailView> ByBlobId { get; } = new(StringComparer.Ordinal);
    public string State { get; private set; } = string.Empty;
    public IMaildrop Maildrop => _maildrop ?? throw new InvalidOperationException("snapshot is closed");

    public static async Task<AccountSnapshot> OpenAsync(JmapAccount account, JmapServerOptions options, CancellationToken cancellationToken)
    {
        var snapshot = new AccountSnapshot(account, options);
        try
        {
            await snapshot.LoadAsync(cancellationToken).ConfigureAwait(false);
            return snapshot;
        }
        catch
        {
            await snapshot.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Removes the messages through the store; the ids still present afterwards are returned.</summary>
    public async Task<HashSet<string>> RemoveAsync(IReadOnlyCollection<EmailView> emails, CancellationToken cancellationToken)
    {
        try
        {
            await Maildrop.CommitAsync(emails.Select(e => e.Index).ToList(), cancellationToken).ConfigureAwait(false);
        }
        catch (MaildropException)
        {
            // Which ones failed is read from the store below.
        }

        await Maildrop.DisposeAsync().ConfigureAwait(false);
        _maildrop = null;
        await LoadAsync(cancellationToken).ConfigureAwait(false);
        return emails.Where(e => ById.ContainsKey(e.Id)).Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        _maildrop = await OpenMaildropAsync(cancellationToken).ConfigureAwait(false);
        var views = new List<EmailView>(_maildrop.Messages.Count);
        ById.Clear();
        ByBlobId.Clear();
        for (var i = 0; i < _maildrop.Messages.Count; i++)
        {
            var entry = _maildrop.Messages[i];
            if (!_account.Summaries.TryGetValue(entry.Uid, out var summary))
            {
                summary = await SummaryReader.ReadAsync(_maildrop, i, _options.MaxHeaderBytes, _options.RawBlobs, cancellationToken).ConfigureAwait(false);
                _account.Summaries[entry.Uid] = summary;
            }

            var view = new EmailView(
                i,
                SummaryReader.IdFor('M', entry.Uid),
                SummaryReader.IdFor('B', entry.Uid),
                SummaryReader.IdFor('T', entry.Uid),
                _options.RawBlobs ? summary.RawLength : entry.Size,
                summary);
            if (ById.TryAdd(view.Id, view))
            {
                ByBlobId[view.BlobId] = view;
                views.Add(view);
            }
        }

        Emails = views;
        State = StateOf(views);
        _account.Observe(State, ById.Keys);
        ForgetGone();
    }

    private void ForgetGone()
    {
        if (_account.Summaries.Count <= _maildrop!.Messages.Count)
        {
            return;
        }

        var present = _maildrop.Messages.Select(m => m.Uid).ToHashSet(StringComparer.Ordinal);
        foreach (var uid in _account.Summaries.Keys.Where(u => !present.Contains(u)).ToList())
        {
            _account.Summaries.TryRemove(uid, out _);
        }
    }

    private async Task<IMaildrop> OpenMaildropAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + _options.LockWait;
        while (true)
        {
            try
            {
                return await _options.Store.OpenAsync(new MaildropRequest(_account.User), cancellationToken).ConfigureAwait(false);
            }
            catch (MaildropException e) when (e.Code == ResponseCodes.InUse && DateTime.UtcNow < deadline)
            {
                // A POP3 session or another server holds the maildrop: it is usually brief.
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The Email state: a hash of the ids present, so it is the same after a restart.</summary>
    private static string StateOf(IEnumerable<EmailView> views)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var id in views.Select(v => v.Id).Order(StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.ASCII.GetBytes(id));
            hash.AppendData("\n"u8);
        }

        return "s" + Convert.ToHexStringLower(hash.GetHashAndReset().AsSpan(0, 10));
    }

    public async ValueTask DisposeAsync()
    {
        if (_maildrop is not null)
        {
            await _maildrop.DisposeAsync().ConfigureAwait(false);
            _maildrop = null;
        }
    }
}
