using System.Diagnostics;
using System.IO.Pipelines;
using PopGate.Client;

namespace PopGate.Fetch;

/// <summary>
/// One run of the bulk downloader for one account. The session costs as few round trips as the server allows:
/// CAPA goes with the greeting (when <see cref="Pop3ClientOptions.CapaWithGreeting"/>), then login, STAT, UIDL and
/// LIST in one burst; RETRs are written ahead within the client's window while earlier bodies arrive, and each body
/// streams into the destination. A message is marked for DELE only once it is synced to disk and recorded; the
/// DELEs go out together with QUIT (in batches for very large runs). A run that ends any other way deletes nothing.
/// </summary>
public sealed partial class Fetcher
{
    private readonly FetchAccount _account;
    private readonly IFetchProgress _progress;
    private readonly FetchTally _tally = new();
    private readonly List<FetchedMessage> _toDelete = [];
    private readonly List<(FetchedMessage Message, long Octets)> _unrecorded = [];
    private Exception? _connectionFault;

    public Fetcher(FetchAccount account, IFetchProgress progress)
    {
        _account = account ?? throw new ArgumentNullException(nameof(account));
        _progress = progress ?? throw new ArgumentNullException(nameof(progress));
    }

    private FetchOptions Options => _account.Options;

    private string Name => _account.Name;

    /// <summary>Runs the session; never throws: what ended it early is <see cref="FetchSummary.Error"/>.</summary>
    public async Task<FetchSummary> RunAsync(CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var quitted = false;
        Exception? error = null;
        try
        {
            quitted = await RunSessionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            error = e;
        }

        return _tally.Summary(Name, clock.Elapsed, error ?? Volatile.Read(ref _connectionFault), quitted);
    }

    private async Task<bool> RunSessionAsync(CancellationToken cancellationToken)
    {
        var server = MessageIdentity.Server(_account.Spec, _account.Credentials.User);

        // The state store and the destination are opened while the connection is being made.
        var preparing = Task.Run(() => PrepareAsync(server, cancellationToken), CancellationToken.None);
        try
        {
            return await RunSessionAsync(server, preparing, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // However the session ended, the store is closed (twice is harmless).
            _ = preparing.ContinueWith(static t => t.Result?.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            Observe(preparing);
        }
    }

    private async Task<bool> RunSessionAsync(string server, Task<SeenStore?> preparing, CancellationToken cancellationToken)
    {
        var spec = _account.Spec;
        var credentials = _account.Credentials;
        await using var client = new Pop3Client(_account.ClientOptions);
        await client.ConnectAsync(spec, cancellationToken).ConfigureAwait(false);

        // Queued together: on a pipelining server login and listing are one write and one round trip.
        Task login;
        Task<Pop3Stat> stat;
        Task<IReadOnlyList<Pop3UidEntry>> uidl;
        Task<IReadOnlyList<Pop3ListEntry>> list;
        using (client.HoldWrites())
        {
            login = client.AuthenticateAsync(credentials, cancellationToken);
            stat = client.StatAsync(cancellationToken);
            uidl = client.UidlAsync(cancellationToken);
            list = client.ListAsync(cancellationToken);
        }

        try
        {
            await login.ConfigureAwait(false);
        }
        catch
        {
            Observe(stat);
            Observe(uidl);
            Observe(list);
            throw;
        }

        await stat.ConfigureAwait(false);
        var sizes = await list.ConfigureAwait(false);
        IReadOnlyList<Pop3UidEntry>? uids;
        try
        {
            uids = await uidl.ConfigureAwait(false);
        }
        catch (Pop3CommandException)
        {
            uids = null;
        }

        if (uids is null && Options.Keep)
        {
            throw new FetchException($"{spec.Host} does not answer UIDL, so --keep cannot tell new messages from those already taken");
        }

        // Without UIDL nothing can be recognised from one run to the next, so nothing is recorded.
        var opened = await preparing.ConfigureAwait(false);
        var state = uids is null ? null : opened;

        var delivery = _account.Delivery;
        var plan = await FetchPlanner.PlanAsync(server, sizes, uids, state, delivery, Options, text => _progress.Note(Name, text), cancellationToken).ConfigureAwait(false);
        var toFetch = plan.Where(p => p.Action == FetchAction.Retrieve).ToList();
        _progress.Planned(Name, toFetch.Count, toFetch.Sum(p => p.Message.Size));

        if (Options.DryRun)
        {
            Describe(plan);
            await client.QuitAsync(cancellationToken).ConfigureAwait(false);
            return false;
        }

        await ExecuteAsync(client, plan, server, state, cancellationToken).ConfigureAwait(false);
        await RecordAsync(client, server, state, cancellationToken).ConfigureAwait(false);
        if (!client.IsConnected)
        {
            return false;
        }

        SendDeletions(client, cancellationToken);
        await client.QuitAsync(cancellationToken).ConfigureAwait(false);
        await _tally.DeletionsAnsweredAsync().ConfigureAwait(false);
        return true;
    }

    private async Task<SeenStore?> PrepareAsync(string server, CancellationToken cancellationToken)
    {
        await _account.Delivery.OpenAsync(create: !Options.DryRun, cancellationToken).ConfigureAwait(false);
        return OpenState(server);
    }

    private SeenStore? OpenState(string server)
    {
        var path = _account.StatePath ?? MessageIdentity.DefaultStatePath(server);
        if (Options.DryRun && !File.Exists(path))
        {
            return null;
        }

        try
        {
            return SeenStore.Open(path);
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
        {
            throw new FetchException($"cannot open the state store {path}: {e.Message}", e);
        }
    }

    private void RecordFault(Exception error) => Interlocked.CompareExchange(ref _connectionFault, error, null);

    private void Describe(List<(FetchedMessage Message, FetchAction Action)> plan)
    {
        foreach (var (message, action) in plan)
        {
            var what = action switch
            {
                FetchAction.Retrieve => Options.Keep ? "would fetch" : "would fetch and delete",
                FetchAction.DeleteOnly => "would delete (delivered by an earlier run)",
                FetchAction.Skip => "already fetched; skipped",
                FetchAction.TooLarge => "too large; would be kept",
                _ => "beyond --limit; left for later",
            };
            _progress.Note(Name, $"{message}, {message.Size} octets: {what}");
            if (action == FetchAction.Retrieve)
            {
                _tally.Leave();
            }
            else if (action == FetchAction.Skip)
            {
                _tally.Skipped();
            }
        }
    }

    private static void Observe(Task task) =>
        task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
}
