using PopGate.Client;

namespace PopGate.Fetch;

/// <summary>
/// Decides, from the listing, the state store and the destination, what happens to each message. Also settles
/// what an interrupted run left: pending mbox appends, and Maildir deliveries that were never recorded.
/// </summary>
internal static class FetchPlanner
{
    public static async Task<List<(FetchedMessage Message, FetchAction Action)>> PlanAsync(
        string server,
        IReadOnlyList<Pop3ListEntry> sizes,
        IReadOnlyList<Pop3UidEntry>? uids,
        SeenStore? state,
        IMessageDelivery delivery,
        FetchOptions options,
        Action<string> note,
        CancellationToken cancellationToken)
    {
        var uidOf = uids?.ToDictionary(u => u.Number, u => u.Uid);
        var seen = state?.Load(server) ?? new Dictionary<string, SeenEntry>(StringComparer.Ordinal);
        if (uidOf is not null && state is not null && !options.DryRun)
        {
            var onServer = new HashSet<string>(uidOf.Values, StringComparer.Ordinal);
            var gone = seen.Keys.Where(uid => !onServer.Contains(uid)).ToList();
            if (gone.Count > 0)
            {
                state.Forget(server, gone);
            }
        }

        var plan = new List<(FetchedMessage, FetchAction)>(sizes.Count);
        var retrievals = 0;
        foreach (var entry in sizes)
        {
            var uid = uidOf is null ? null : uidOf.GetValueOrDefault(entry.Number);
            var message = new FetchedMessage(entry.Number, uid, entry.Size, uid is null ? null : MessageIdentity.Digest(server, uid));
            var delivered = await DeliveredBeforeAsync(server, message, seen, state, delivery, options, note, cancellationToken).ConfigureAwait(false);
            FetchAction action;
            if (delivered)
            {
                action = options.Keep ? FetchAction.Skip : FetchAction.DeleteOnly;
            }
            else if (options.MaxSize is { } max && entry.Size > max)
            {
                action = FetchAction.TooLarge;
            }
            else if (options.Limit is { } limit && retrievals >= limit)
            {
                action = FetchAction.Later;
            }
            else
            {
                action = FetchAction.Retrieve;
                retrievals++;
            }

            plan.Add((message, action));
        }

        return plan;
    }

    private static async ValueTask<bool> DeliveredBeforeAsync(
        string server,
        FetchedMessage message,
        Dictionary<string, SeenEntry> seen,
        SeenStore? state,
        IMessageDelivery delivery,
        FetchOptions options,
        Action<string> note,
        CancellationToken cancellationToken)
    {
        if (message.Uid is null)
        {
            return false;
        }

        if (seen.TryGetValue(message.Uid, out var entry))
        {
            if (entry.State == SeenState.Delivered)
            {
                return true;
            }

            if (entry.Pending is null || options.DryRun)
            {
                return false;
            }

            var complete = await delivery.SettlePendingAsync(entry.Pending, cancellationToken).ConfigureAwait(false);
            if (complete)
            {
                state!.MarkDelivered(server, message.Uid);
            }
            else
            {
                state!.Forget(server, [message.Uid]);
            }

            note($"{message}: an interrupted append to {delivery.Description} was {(complete ? "complete; kept" : "incomplete; delivering again")}");
            return complete;
        }

        if (!delivery.Holds(message))
        {
            return false;
        }

        if (!options.DryRun)
        {
            state?.MarkDelivered(server, message.Uid);
        }

        return true;
    }
}
