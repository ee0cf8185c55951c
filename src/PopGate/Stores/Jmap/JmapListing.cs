using System.Globalization;
using System.Text.Json;
using PopGate.Jmap;
using PopGate.Protocol;

namespace PopGate.Stores.Jmap;

/// <summary>
/// Finds the mailbox, then lists its emails: Email/query pages, each with a back-referenced Email/get, as many
/// pages in one request as maxCallsInRequest allows and each page within maxObjectsInGet.
/// </summary>
internal static class JmapListing
{
    private const int Attempts = 3;
    private static readonly string[] Capabilities = [JmapNames.Core, JmapNames.Mail];

    /// <summary>
    /// The mailbox's listing. With a <paramref name="cached"/> listing, the mailbox lookup carries Email/changes since
    /// its state and an Email/get of what was created or updated, all in one request; a full listing follows only
    /// when the server cannot tell the changes (an old or unknown state, too many changes) or the mailbox is another.
    /// </summary>
    public static async Task<JmapListingResult> LoadAsync(JmapClient client, JmapSession session, JmapStoreOptions options, CachedListing? cached, CancellationToken cancellationToken)
    {
        string mailboxId;
        string? trashId;
        using (var request = new JmapRequest(Capabilities))
        {
            AddMailboxCalls(request, session, options);
            // One request for the mailbox and the changes when the server allows that many calls in one.
            var together = cached is not null && request.Count + JmapListingUpdate.CallCount <= session.MaxCallsInRequest;
            if (together)
            {
                JmapListingUpdate.AddCalls(request, session, cached!.State);
            }

            using var response = await client.CallAsync(session, request, cancellationToken).ConfigureAwait(false);
            (mailboxId, trashId) = ParseMailboxes(response, options);
            if (together && cached!.MailboxId == mailboxId && JmapListingUpdate.Apply(response, cached, mailboxId, options.MaxMessages) is { } updated)
            {
                return Updated(mailboxId, trashId, updated);
            }

            // Otherwise the changes in a request of their own: still far less than listing the mailbox again.
            if (!together && cached is not null && cached.MailboxId == mailboxId && JmapListingUpdate.CallCount <= session.MaxCallsInRequest)
            {
                using var changes = new JmapRequest(Capabilities);
                JmapListingUpdate.AddCalls(changes, session, cached.State);
                using var answer = await client.CallAsync(session, changes, cancellationToken).ConfigureAwait(false);
                if (JmapListingUpdate.Apply(answer, cached, mailboxId, options.MaxMessages) is { } separately)
                {
                    return Updated(mailboxId, trashId, separately);
                }
            }
        }

        for (var attempt = 1; ; attempt++)
        {
            var listed = await ListAsync(client, session, mailboxId, options.MaxMessages, cancellationToken).ConfigureAwait(false);
            if (listed is not null)
            {
                Sort(listed.Value.Emails);
                return new JmapListingResult(mailboxId, trashId, listed.Value.State, listed.Value.Emails);
            }

            if (attempt == Attempts)
            {
                throw new MaildropException(ResponseCodes.SysTemp, "the mailbox kept changing while it was listed");
            }
        }
    }

    private static JmapListingResult Updated(string mailboxId, string? trashId, (string State, List<JmapEmail> Emails) updated)
    {
        Sort(updated.Emails);
        return new JmapListingResult(mailboxId, trashId, updated.State, updated.Emails) { FromChanges = true };
    }

    /// <summary>The POP3 order: by receivedAt as the server sorts, ties by id so that numbers never depend on the server.</summary>
    private static void Sort(List<JmapEmail> emails) =>
        emails.Sort(static (a, b) =>
        {
            var byTime = a.ReceivedAt.CompareTo(b.ReceivedAt);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.Id, b.Id);
        });

    private static void AddMailboxCalls(JmapRequest request, JmapSession session, JmapStoreOptions options)
    {
        request.Call("Mailbox/query", "mq", w =>
        {
            w.WriteString("accountId"u8, session.AccountId);
            w.WriteStartObject("filter"u8);
            if (options.Mailbox is null)
            {
                w.WriteString("role"u8, "inbox");
            }
            else
            {
                w.WriteString("name"u8, options.Mailbox);
            }

            w.WriteEndObject();
        });
        request.Call("Mailbox/get", "mg", w =>
        {
            w.WriteString("accountId"u8, session.AccountId);
            JmapRequest.WriteReference(w, "ids", "mq", "Mailbox/query", "/ids");
            WriteProperties(w, "id", "name", "role", "parentId");
        });
        if (options.MoveToTrash)
        {
            request.Call("Mailbox/query", "tq", w =>
            {
                w.WriteString("accountId"u8, session.AccountId);
                w.WriteStartObject("filter"u8);
                w.WriteString("role"u8, "trash");
                w.WriteEndObject();
            });
        }

    }

    private static (string Mailbox, string? Trash) ParseMailboxes(JmapResponse response, JmapStoreOptions options)
    {
        // The query's own error (e.g. the account is busy) says more than the invalidResultReference that follows it.
        response.Get("mq", "Mailbox/query");
        var candidates = new List<(string Id, string? Name, string? Role, bool TopLevel)>();
        foreach (var mailbox in ArrayOf(response.Get("mg", "Mailbox/get"), "list"))
        {
            candidates.Add((
                StringOf(mailbox, "id") ?? throw Malformed("a mailbox has no id"),
                StringOf(mailbox, "name"),
                StringOf(mailbox, "role"),
                !mailbox.TryGetProperty("parentId", out var parent) || parent.ValueKind == JsonValueKind.Null));
        }

        // A name filter matches by substring on some servers: only an exact name counts, a top-level one first.
        var chosen = options.Mailbox is null
            ? candidates.FirstOrDefault(c => c.Role == "inbox")
            : candidates.Where(c => c.Name == options.Mailbox).OrderByDescending(c => c.TopLevel).FirstOrDefault();
        if (chosen.Id is null)
        {
            throw new MaildropException(ResponseCodes.SysPerm, options.Mailbox is null ? "the JMAP account has no inbox" : $"the JMAP account has no mailbox named '{options.Mailbox}'");
        }

        string? trash = null;
        if (options.MoveToTrash)
        {
            trash = ArrayOf(response.Get("tq", "Mailbox/query"), "ids").Select(e => e.GetString()).FirstOrDefault()
                ?? throw new MaildropException(ResponseCodes.SysPerm, "the JMAP account has no trash mailbox to move deleted messages to");
        }

        return (chosen.Id, trash);
    }

    /// <summary>All emails of the mailbox, or null when the mailbox changed between pages.</summary>
    private static async Task<(string State, List<JmapEmail> Emails)?> ListAsync(JmapClient client, JmapSession session, string mailboxId, int maxMessages, CancellationToken cancellationToken)
    {
        var pageSize = session.MaxObjectsInGet;
        var emails = new List<JmapEmail>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long position = 0;
        long? total = null;
        string? queryState = null, state = null;
        while (total is null || position < total)
        {
            // Until the total is known one page is asked for; then as many as one request may carry.
            var pages = total is null ? 1 : (int)Math.Min(Math.Max(session.MaxCallsInRequest / 2, 1), (total.Value - position + pageSize - 1) / pageSize);
            using var request = new JmapRequest(Capabilities);
            for (var p = 0; p < pages; p++)
            {
                AddPage(request, session.AccountId, mailboxId, p, position + ((long)p * pageSize), pageSize);
            }

            using var response = await client.CallAsync(session, request, cancellationToken).ConfigureAwait(false);
            for (var p = 0; p < pages; p++)
            {
                var query = response.Get("q" + p.ToString(CultureInfo.InvariantCulture), "Email/query");
                var get = response.Get("g" + p.ToString(CultureInfo.InvariantCulture), "Email/get");
                var thisQueryState = StringOf(query, "queryState") ?? string.Empty;
                var thisState = StringOf(get, "state") ?? string.Empty;
                var answeredAt = query.TryGetProperty("position", out var pos) && pos.TryGetInt64(out var at) ? at : position;
                if ((queryState is not null && queryState != thisQueryState) || (state is not null && state != thisState) || answeredAt != position)
                {
                    return null;
                }

                queryState = thisQueryState;
                state = thisState;
                if (query.TryGetProperty("total", out var t) && t.TryGetInt64(out var n))
                {
                    total = n;
                }

                foreach (var email in ArrayOf(get, "list"))
                {
                    var parsed = ParseEmail(email);
                    if (seen.Add(parsed.Id))
                    {
                        emails.Add(parsed);
                    }
                }

                if (emails.Count > maxMessages)
                {
                    throw new MaildropException(ResponseCodes.SysPerm, $"the mailbox holds more than {maxMessages} messages");
                }

                var ids = ArrayOf(query, "ids").Count();
                position += ids;
                if (ids < pageSize)
                {
                    if (total is null || position >= total)
                    {
                        return (state, emails);
                    }

                    if (ids == 0)
                    {
                        // The total promised more than there is: the mailbox shrank under us.
                        return null;
                    }

                    // The server caps the page size below maxObjectsInGet: go on from here with its size.
                    pageSize = ids;
                    break;
                }
            }
        }

        return (state ?? string.Empty, emails);
    }

    private static void AddPage(JmapRequest request, string accountId, string mailboxId, int page, long position, int limit)
    {
        var queryId = "q" + page.ToString(CultureInfo.InvariantCulture);
        request.Call("Email/query", queryId, w =>
        {
            w.WriteString("accountId"u8, accountId);
            w.WriteStartObject("filter"u8);
            w.WriteString("inMailbox"u8, mailboxId);
            w.WriteEndObject();
            w.WriteStartArray("sort"u8);
            w.WriteStartObject();
            w.WriteString("property"u8, "receivedAt");
            w.WriteBoolean("isAscending"u8, true);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteNumber("position"u8, position);
            w.WriteNumber("limit"u8, limit);
            w.WriteBoolean("calculateTotal"u8, true);
        });
        request.Call("Email/get", "g" + page.ToString(CultureInfo.InvariantCulture), w =>
        {
            w.WriteString("accountId"u8, accountId);
            JmapRequest.WriteReference(w, "ids", queryId, "Email/query", "/ids");
            WriteProperties(w, "id", "blobId", "size", "receivedAt");
        });
    }

    internal static JmapEmail ParseEmail(JsonElement email)
    {
        var id = StringOf(email, "id") ?? throw Malformed("an email has no id");
        var blobId = StringOf(email, "blobId") ?? throw Malformed("an email has no blobId");
        var size = email.TryGetProperty("size", out var s) && s.TryGetInt64(out var n) && n >= 0 ? n : throw Malformed("an email has no size");
        var received = StringOf(email, "receivedAt");
        var receivedAt = received is not null && DateTimeOffset.TryParse(received, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var r)
            ? r
            : DateTimeOffset.MinValue;
        return new JmapEmail(id, blobId, size, receivedAt);
    }

    internal static void WriteProperties(Utf8JsonWriter w, params string[] names)
    {
        w.WriteStartArray("properties"u8);
        foreach (var name in names)
        {
            w.WriteStringValue(name);
        }

        w.WriteEndArray();
    }

    internal static IEnumerable<JsonElement> ArrayOf(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array ? array.EnumerateArray() : [];

    internal static string? StringOf(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static JmapException Malformed(string what) => new(JmapFailure.Permanent, "the JMAP server's answer is malformed: " + what);
}
