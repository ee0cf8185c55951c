using System.IO.Pipelines;
using PopGate.Client;

namespace PopGate.Fetch;

/// <summary>Retrieving, delivering, recording and marking for deletion.</summary>
public sealed partial class Fetcher
{
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

            if (t.IsCompletedSuccessfully && message.Uid is { } uid)
            {
                _deleted.Enqueue(uid);
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
}
