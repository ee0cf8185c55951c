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
public sealed class Fetcher
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
        var spec = _account.Spec;
        var credentials = _account.Credentials;
        var server = MessageIdentity.Server(spec, credentials.User);

        // The state store and the destination are opened while the connection is being made.
        var preparing = Task.Run(() => PrepareAsync(server, cancellationToken), CancellationToken.None);
        await using var client = new Pop3Client(_account.ClientOptions);
        try
        {
            await client.ConnectAsync(spec, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Observe(preparing);
            throw;
        }

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
            Observe(preparing);
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
        if (uids is null)
        {
            opened?.Dispose();
        }

        using var state = uids is null ? null : opened;

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

    private async Task ExecuteAsync(Pop3Client client, List<(FetchedMessage Message, FetchAction Action)> plan, string server, SeenStore? state, CancellationToken cancellationToken)
    {
        var depth = Math.Max(1, Options.QueueDepth);
        using var slots = new SemaphoreSlim(depth, depth);
        var index = 0;
        for (; index < plan.Count && client.IsConnected; index++)
        {
            var (message, action) = plan[index];
            switch (action)
            {
                case FetchAction.Retrieve:
                    await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                    var retrieval = client.RetrAsync(message.Number, (body, token) => DeliverAsync(client, message, body, server, state, token), cancellationToken);
                    _ = retrieval.ContinueWith(t => Retrieved(t, message, slots), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
                    break;
                case FetchAction.DeleteOnly:
                    MarkForDeletion(client, message, cancellationToken);
                    break;
                case FetchAction.Skip:
                    _tally.Skipped();
                    break;
                case FetchAction.TooLarge:
                    _tally.Fail();
                    _progress.Failed(Name, message, $"{message.Size} octets is more than the size limit ({Options.MaxSize}); kept on the server");
                    break;
                case FetchAction.Later:
                    _tally.Leave();
                    break;
            }
        }

        _tally.Leave(plan.Count - index);
        for (var i = 0; i < depth; i++)
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask<long> DeliverAsync(Pop3Client client, FetchedMessage message, PipeReader body, string server, SeenStore? state, CancellationToken cancellationToken)
    {
        var octets = await _account.Delivery.DeliverAsync(message, body, pending =>
        {
            if (message.Uid is not null)
            {
                state?.MarkPending(server, message.Uid, pending);
            }

            return ValueTask.CompletedTask;
        }, cancellationToken).ConfigureAwait(false);

        _progress.Delivered(Name, message, octets);
        _unrecorded.Add((message, octets));
        if (_unrecorded.Count >= Math.Max(1, _account.Delivery.RecordBatch))
        {
            await RecordAsync(client, server, state, cancellationToken).ConfigureAwait(false);
        }

        return octets;
    }

    /// <summary>
    /// Makes the deliveries made since the last call durable, records them in one transaction, and only then marks
    /// them for deletion. Runs in a delivery (so in the reading loop) or after the last one, never concurrently.
    /// </summary>
    private async Task RecordAsync(Pop3Client client, string server, SeenStore? state, CancellationToken cancellationToken)
    {
        if (_unrecorded.Count == 0)
        {
            return;
        }

        var failures = await _account.Delivery.FlushAsync(cancellationToken).ConfigureAwait(false);
        var failed = failures.ToDictionary(f => f.Message.Number, f => f.Error);
        var durable = new List<(FetchedMessage Message, long Octets)>(_unrecorded.Count);
        foreach (var (message, octets) in _unrecorded)
        {
            if (failed.TryGetValue(message.Number, out var error))
            {
                _tally.Fail();
                _progress.Failed(Name, message, error.Message + "; kept on the server");
            }
            else
            {
                durable.Add((message, octets));
            }
        }

        _unrecorded.Clear();
        state?.MarkDelivered(server, durable.Where(d => d.Message.Uid is not null).Select(d => d.Message.Uid!));
        foreach (var (message, octets) in durable)
        {
            _tally.Fetched(octets);
            if (!Options.Keep)
            {
                MarkForDeletion(client, message, cancellationToken);
            }
        }
    }

    /// <summary>
    /// DELE takes effect only at QUIT, so sending it early gains nothing: deletions wait and go out in batches, the
    /// last one in the same write as QUIT. Each DELE written between RETRs would be one more client turn.
    /// </summary>
    private void MarkForDeletion(Pop3Client client, FetchedMessage message, CancellationToken cancellationToken)
    {
        lock (_toDelete)
        {
            _toDelete.Add(message);
            if (_toDelete.Count < Options.DeletionBatch)
            {
                return;
            }
        }

        SendDeletions(client, cancellationToken);
    }

    private void SendDeletions(Pop3Client client, CancellationToken cancellationToken)
    {
        List<FetchedMessage> batch;
        lock (_toDelete)
        {
            batch = [.. _toDelete];
            _toDelete.Clear();
        }

        foreach (var message in batch)
        {
            Delete(client, message, cancellationToken);
        }
    }

    private void Delete(Pop3Client client, FetchedMessage message, CancellationToken cancellationToken)
    {
        // Queued, not awaited: when queued from a delivery its reply comes after the body being read right now.
        _tally.DeletionQueued();
        client.DeleAsync(message.Number, cancellationToken).ContinueWith(t =>
        {
            if (t.Exception?.InnerException is Pop3CommandException refused)
            {
                _tally.Fail();
                _progress.Failed(Name, message, $"delivered, but the server refused DELE ({refused.ServerText}); it is deleted on a later run");
            }
            else if (t.Exception?.InnerException is { } lost)
            {
                RecordFault(lost);
            }

            _tally.DeletionAnswered(t.IsCompletedSuccessfully);
        }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    private void Retrieved(Task<long> retrieval, FetchedMessage message, SemaphoreSlim slots)
    {
        try
        {
            if (retrieval.Exception?.InnerException is not { } error)
            {
                return;
            }

            if (error is Pop3Exception and not Pop3CommandException || error is OperationCanceledException)
            {
                // The session is over; every later message fails the same way, so the run reports it once.
                RecordFault(error);
                _tally.Leave();
                return;
            }

            _tally.Fail();
            var why = error switch
            {
                Pop3CommandException refused => $"the server refused RETR ({refused.ServerText})",
                DeliveryException => error.Message,
                _ => $"not delivered: {error.Message}",
            };
            _progress.Failed(Name, message, why + "; kept on the server");
        }
        finally
        {
            slots.Release();
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
