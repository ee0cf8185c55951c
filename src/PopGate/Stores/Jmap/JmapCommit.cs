using System.Globalization;
using System.Text.Json;
using PopGate.Jmap;
using PopGate.Protocol;

namespace PopGate.Stores.Jmap;

/// <summary>
/// Removes the messages deleted in a POP3 session: Email/set destroy (or a move to the trash mailbox) guarded by
/// ifInState, so that nothing is removed from a mailbox that changed in a way that could matter.
/// </summary>
internal static class JmapCommit
{
    private static readonly string[] Capabilities = [JmapNames.Core, JmapNames.Mail];

    public static async Task RemoveAsync(JmapClient client, JmapSession session, JmapListingResult listing, List<string> ids, bool moveToTrash, CancellationToken cancellationToken)
    {
        var chunks = ids.Chunk(session.MaxObjectsInSet).ToList();
        var state = listing.State;
        var notRemoved = 0;
        var retried = false;
        var next = 0;
        while (next < chunks.Count)
        {
            var batch = chunks.Skip(next).Take(session.MaxCallsInRequest).ToList();
            using var request = new JmapRequest(Capabilities);
            for (var j = 0; j < batch.Count; j++)
            {
                AddSet(request, session.AccountId, listing, j, state, batch[j], moveToTrash);
            }

            using var response = await client.CallAsync(session, request, cancellationToken).ConfigureAwait(false);
            for (var j = 0; j < batch.Count; j++)
            {
                JsonElement result;
                try
                {
                    result = response.Get(CallId(j), "Email/set");
                }
                catch (JmapException e)
                {
                    if (j == 0 && !retried && e.ErrorType == JmapNames.StateMismatch
                        && await UnrelatedChangesAsync(client, session, state, ids, cancellationToken).ConfigureAwait(false) is { } newState)
                    {
                        // Only other messages changed (new mail arrived): ours are exactly as listed, so go on.
                        state = newState;
                        retried = true;
                        goto again;
                    }

                    notRemoved += chunks.Skip(next + j).Sum(c => c.Length);
                    var why = e.ErrorType == JmapNames.StateMismatch ? "the mailbox changed since login" : e.Message;
                    throw new MaildropException(ResponseCodes.SysTemp, $"{notRemoved} of {ids.Count} deleted messages were not removed: {why}", e);
                }

                notRemoved += Refused(result, moveToTrash ? "notUpdated" : "notDestroyed");
                state = result.TryGetProperty("newState", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : state;
            }

            next += batch.Count;
        again:;
        }

        if (notRemoved > 0)
        {
            throw new MaildropException(ResponseCodes.SysTemp, $"{notRemoved} of {ids.Count} deleted messages were not removed");
        }
    }

    private static void AddSet(JmapRequest request, string accountId, JmapListingResult listing, int j, string state, string[] chunk, bool moveToTrash)
    {
        request.Call("Email/set", CallId(j), w =>
        {
            w.WriteString("accountId"u8, accountId);
            if (j == 0)
            {
                w.WriteString("ifInState"u8, state);
            }
            else
            {
                // Each call changes the state: the next one is guarded by the state the previous one left.
                JmapRequest.WriteReference(w, "ifInState", CallId(j - 1), "Email/set", "/newState");
            }

            if (moveToTrash)
            {
                w.WriteStartObject("update"u8);
                foreach (var id in chunk)
                {
                    w.WriteStartObject(id);
                    w.WriteNull("mailboxIds/" + listing.MailboxId);
                    w.WriteBoolean("mailboxIds/" + listing.TrashId, true);
                    w.WriteEndObject();
                }

                w.WriteEndObject();
            }
            else
            {
                w.WriteStartArray("destroy"u8);
                foreach (var id in chunk)
                {
                    w.WriteStringValue(id);
                }

                w.WriteEndArray();
            }
        });
    }

    /// <summary>Messages the server refused to remove; one already gone (notFound) is removed all the same.</summary>
    private static int Refused(JsonElement result, string property)
    {
        if (!result.TryGetProperty(property, out var refused) || refused.ValueKind != JsonValueKind.Object)
        {
            return 0;
        }

        var count = 0;
        foreach (var entry in refused.EnumerateObject())
        {
            var type = entry.Value.ValueKind == JsonValueKind.Object && entry.Value.TryGetProperty("type", out var t) ? t.GetString() : null;
            if (type != JmapNames.NotFound)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>The new state when nothing changed since <paramref name="sinceState"/> touches the given emails.</summary>
    private static async Task<string?> UnrelatedChangesAsync(JmapClient client, JmapSession session, string sinceState, List<string> ids, CancellationToken cancellationToken)
    {
        using var request = new JmapRequest(Capabilities);
        request.Call("Email/changes", "c", w =>
        {
            w.WriteString("accountId"u8, session.AccountId);
            w.WriteString("sinceState"u8, sinceState);
            w.WriteNumber("maxChanges"u8, 10_000);
        });
        try
        {
            using var response = await client.CallAsync(session, request, cancellationToken).ConfigureAwait(false);
            var changes = response.Get("c", "Email/changes");
            if (changes.TryGetProperty("hasMoreChanges", out var more) && more.ValueKind == JsonValueKind.True)
            {
                return null;
            }

            var ours = new HashSet<string>(ids, StringComparer.Ordinal);
            foreach (var name in (ReadOnlySpan<string>)["updated", "destroyed"])
            {
                if (changes.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array
                    && list.EnumerateArray().Any(e => e.ValueKind == JsonValueKind.String && ours.Contains(e.GetString()!)))
                {
                    return null;
                }
            }

            return changes.TryGetProperty("newState", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        }
        catch (JmapException)
        {
            // No way to tell what changed: the safe answer is that it matters.
            return null;
        }
    }

    private static string CallId(int j) => "s" + j.ToString(CultureInfo.InvariantCulture);
}
