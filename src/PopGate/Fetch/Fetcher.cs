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
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _deleted = new();
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

        // The greeting is not awaited here: when the state store remembers how this server lets us log in, the
        // login and listing go out before it arrives and the whole exchange costs one round trip.
        await client.ConnectAsync(spec, awaitGreeting: false, cancellationToken).ConfigureAwait(false);
        var remembered = await RememberedCapabilitiesAsync(server, preparing).ConfigureAwait(false);
        Pop3Capabilities? announced = null;
        var ahead = remembered is not null && client.CanLogInAhead(remembered, credentials);
        if (!ahead)
        {
            await client.Handshake.ConfigureAwait(false);
            announced = client.Capabilities;
        }

        // Queued together: on a pipelining server login and listing are one write and one round trip.
        Task login;
        Task<Pop3Stat> stat;
        Task<IReadOnlyList<Pop3UidEntry>> uidl;
        Task<IReadOnlyList<Pop3ListEntry>> list;
        using (client.HoldWrites())
        {
            login = client.AuthenticateAsync(credentials, ahead ? remembered : null, cancellationToken);
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

            // A login chosen from what the server said last time failed: if it says something else now, the next
            // run goes by that.
            // A server that no longer answers CAPA is remembered as offering nothing, so the next run waits.
            if (ahead && client.Handshake.IsCompletedSuccessfully && preparing.IsCompletedSuccessfully)
            {
                var now = client.Capabilities.Known ? client.Capabilities : new Pop3Capabilities([]);
                await RememberAsync(preparing, server, now, remembered).ConfigureAwait(false);
            }

            throw;
        }

        // Before login: a server may announce more to logged-in clients, but the next login goes by this.
        announced ??= client.Capabilities;

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
        await RememberAsync(preparing, server, announced, remembered).ConfigureAwait(false);
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

        // QUIT was answered +OK, so what was marked is gone: its records are dropped now rather than on the next
        // run, which keeps the store small and lets a mailbox refilled with the same UIDLs be fetched again.
        if (state is not null && !_deleted.IsEmpty)
        {
            state.Forget(server, _deleted);
        }

        return true;
    }

    private async Task<SeenStore?> PrepareAsync(string server, CancellationToken cancellationToken)
    {
        await _account.Delivery.OpenAsync(create: !Options.DryRun, cancellationToken).ConfigureAwait(false);
        return OpenState(server);
    }

    /// <summary>The capabilities the server announced on an earlier run, once the state store is open.</summary>
    /// <remarks>A store that cannot be opened is reported later, where the run needs it; here it only means "unknown".</remarks>
    private static async Task<Pop3Capabilities?> RememberedCapabilitiesAsync(string server, Task<SeenStore?> preparing)
    {
        try
        {
            var store = await preparing.ConfigureAwait(false);
            return store?.LoadCapabilities(server) is { } lines ? new Pop3Capabilities(lines) : null;
        }
        catch (Exception e) when (e is FetchException or DeliveryException or IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            return null;
        }
    }

    /// <summary>Keeps what the server announced before login for the next run, when it changed.</summary>
    private async Task RememberAsync(Task<SeenStore?> preparing, string server, Pop3Capabilities seen, Pop3Capabilities? remembered)
    {
        if (Options.DryRun || !seen.Known || (remembered is not null && remembered.Lines.SequenceEqual(seen.Lines)))
        {
            return;
        }

        if (await preparing.ConfigureAwait(false) is { } store)
        {
            store.SaveCapabilities(server, seen.Lines);
        }
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
