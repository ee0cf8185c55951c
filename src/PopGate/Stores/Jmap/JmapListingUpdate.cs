using System.Text.Json;
using PopGate.Jmap;
using PopGate.Protocol;

namespace PopGate.Stores.Jmap;

/// <summary>
/// Brings a kept listing up to date: Email/changes (RFC 8620 section 5.2) since its state, and Email/get of the
/// created and updated emails, whose mailboxIds tell whether they are (still) in the mailbox. Email ids, blob ids,
/// sizes and receivedAt never change (RFC 8621 section 4.1), so the rest of the listing stands as it is.
/// </summary>
internal static class JmapListingUpdate
{
    /// <summary>The method calls <see cref="AddCalls"/> adds.</summary>
    public const int CallCount = 3;

    public static void AddCalls(JmapRequest request, JmapSession session, string sinceState)
    {
        request.Call("Email/changes", "c", w =>
        {
            w.WriteString("accountId"u8, session.AccountId);
            w.WriteString("sinceState"u8, sinceState);
            // No more ids than one Email/get may ask for; more changes than that are listed in full.
            w.WriteNumber("maxChanges"u8, session.MaxObjectsInGet);
        });
        foreach (var (callId, path) in (ReadOnlySpan<(string, string)>)[("gc", "/created"), ("gu", "/updated")])
        {
            request.Call("Email/get", callId, w =>
            {
                w.WriteString("accountId"u8, session.AccountId);
                JmapRequest.WriteReference(w, "ids", "c", "Email/changes", path);
                JmapListing.WriteProperties(w, "id", "blobId", "size", "receivedAt", "mailboxIds");
            });
        }
    }

    /// <summary>
    /// The up-to-date listing (unsorted) and its state, or null when the server could not tell every change since
    /// the kept state (cannotCalculateChanges, hasMoreChanges, any error, answers of another state).
    /// </summary>
    public static (string State, List<JmapEmail> Emails)? Apply(JmapResponse response, CachedListing cached, string mailboxId, int maxMessages)
    {
        JsonElement changes, created, updated;
        try
        {
            changes = response.Get("c", "Email/changes");
            created = response.Get("gc", "Email/get");
            updated = response.Get("gu", "Email/get");
        }
        catch (JmapException)
        {
            return null;
        }

        var newState = JmapListing.StringOf(changes, "newState");
        if (newState is null
            || (changes.TryGetProperty("hasMoreChanges", out var more) && more.ValueKind != JsonValueKind.False)
            || !SameState(created, newState) || !SameState(updated, newState))
        {
            return null;
        }

        var emails = new Dictionary<string, JmapEmail>(cached.Emails.Count, StringComparer.Ordinal);
        foreach (var email in cached.Emails)
        {
            emails[email.Id] = email;
        }

        foreach (var id in Ids(changes, "destroyed"))
        {
            emails.Remove(id);
        }

        var answered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var get in (ReadOnlySpan<JsonElement>)[created, updated])
        {
            foreach (var email in JmapListing.ArrayOf(get, "list"))
            {
                var parsed = JmapListing.ParseEmail(email);
                answered.Add(parsed.Id);
                if (InMailbox(email, mailboxId))
                {
                    emails[parsed.Id] = parsed;
                }
                else
                {
                    // Moved out of the mailbox (or created elsewhere).
                    emails.Remove(parsed.Id);
                }
            }

            foreach (var id in Ids(get, "notFound"))
            {
                // Created or changed, then destroyed before the Email/get.
                answered.Add(id);
                emails.Remove(id);
            }
        }

        if (Ids(changes, "created").Concat(Ids(changes, "updated")).Any(id => !answered.Contains(id)))
        {
            // An Email/get that skipped ids leaves them unknown: only a full listing is sure.
            return null;
        }

        if (emails.Count > maxMessages)
        {
            throw new MaildropException(ResponseCodes.SysPerm, $"the mailbox holds more than {maxMessages} messages");
        }

        return (newState, emails.Values.ToList());
    }

    /// <summary>An Email/get answered in the state the changes lead to (or says no state): nothing happened between.</summary>
    private static bool SameState(JsonElement get, string state) => JmapListing.StringOf(get, "state") is not { } s || s == state;

    private static bool InMailbox(JsonElement email, string mailboxId) =>
        email.TryGetProperty("mailboxIds", out var boxes) && boxes.ValueKind == JsonValueKind.Object
        && boxes.TryGetProperty(mailboxId, out var member) && member.ValueKind == JsonValueKind.True;

    private static IEnumerable<string> Ids(JsonElement obj, string name) =>
        JmapListing.ArrayOf(obj, name).Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!);
}
