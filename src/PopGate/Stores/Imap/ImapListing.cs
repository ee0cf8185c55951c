using System.Globalization;
using PopGate.Imap;
using PopGate.Protocol;

namespace PopGate.Stores.Imap;

/// <summary>
/// Logs in and takes the snapshot: LOGIN (or AUTHENTICATE), CAPABILITY, and for each folder SELECT and one
/// UID FETCH 1:* (UID RFC822.SIZE FLAGS), all in one pipelined batch; then, when asked, the last two octets of
/// every message in a second batch, to list sizes exactly as POP3 sends them.
/// </summary>
internal static class ImapListing
{
    // Each group's answers are kept in memory (at most 64 KiB per message), so spans stay well below that.
    private const long MinSpan = 2 * 1024;
    private const long MaxSpan = 32 * 1024;
    private const int MaxGroup = 1000;

    public static async Task<(ImapMailbox[] Folders, List<ImapMessage> Messages)> OpenAsync(
        ImapClient client, ImapStoreOptions options, string user, string secret, ImapAuthMechanism mechanism, CancellationToken cancellationToken)
    {
        var login = client.CreateLogin(user, secret, mechanism);
        var items = new List<BatchItem> { login, client.CreateCapability() };
        var folders = new List<(SelectItem Select, FetchItem List)>();
        var fetchItems = options.ShowDeleted ? "(UID RFC822.SIZE)" : "(UID RFC822.SIZE FLAGS)";
        foreach (var folder in options.Folders)
        {
            var select = client.CreateSelect(folder, options.ReadOnly);
            var list = client.CreateFetch("1:*", fetchItems);
            folders.Add((select, list));
            items.Add(select);
            items.Add(list);
        }

        try
        {
            await client.RunAsync(items, cancellationToken).ConfigureAwait(false);
        }
        catch (ImapProtocolException) when (login.Status is { Status: not ImapStatus.Ok })
        {
            // Some servers hang up after a refused login, before answering what was pipelined behind it.
        }

        if (!login.Succeeded)
        {
            throw UpstreamFailure.Login(login);
        }

        var mailboxes = new ImapMailbox[folders.Count];
        var messages = new List<ImapMessage>();
        for (var f = 0; f < folders.Count; f++)
        {
            var (select, list) = folders[f];
            if (!select.Succeeded)
            {
                var code = select.Status?.Code == "NONEXISTENT" ? ResponseCodes.SysPerm : ResponseCodes.SysTemp;
                throw new MaildropException(code, $"upstream folder {options.Folders[f]}: {select.Status?.Text}");
            }

            mailboxes[f] = select.Mailbox!;
            // Some servers answer "1:*" in an empty mailbox with NO or BAD rather than with nothing.
            if (!list.Succeeded && select.Mailbox!.Exists > 0)
            {
                list.EnsureOk();
            }

            messages.AddRange(Messages(f, list.Results, options.ShowDeleted));
        }

        if (options.CheckFinalNewline && messages.Count > 0)
        {
            var keys = mailboxes.Select(m => FinalNewlineCache.Key(options, user, m.Name, m.UidValidity)).ToArray();
            foreach (var key in keys)
            {
                FinalNewlineCache.Load(key, options.StateDirectory);
            }

            await AddMissingFinalNewlinesAsync(client, options, mailboxes, keys, messages, cancellationToken).ConfigureAwait(false);
        }

        return (mailboxes, messages);
    }

    private static IEnumerable<ImapMessage> Messages(int folder, IReadOnlyList<FetchData> results, bool showDeleted)
    {
        var byUid = new SortedDictionary<uint, ImapMessage>();
        foreach (var result in results)
        {
            // A FETCH without RFC822.SIZE is an unsolicited flag update; a \Deleted message is on its way out.
            if (result.Size is not { } size || (!showDeleted && result.HasFlag("\\Deleted")))
            {
                continue;
            }

            byUid[result.Uid!.Value] = new ImapMessage(folder, result.Uid.Value, size);
        }

        return byUid.Values;
    }

    /// <summary>
    /// RFC822.SIZE counts the message as stored; POP3 sends a CRLF after a message that does not end with one.
    /// The last two octets of each message tell which ones need those two more; what was learnt is kept in
    /// <see cref="FinalNewlineCache"/>, so only new messages cost a FETCH in later sessions.
    /// </summary>
    private static async Task AddMissingFinalNewlinesAsync(
        ImapClient client, ImapStoreOptions options, ImapMailbox[] mailboxes, string[] keys, List<ImapMessage> messages, CancellationToken cancellationToken)
    {
        var items = new List<BatchItem>();
        var selects = new List<(SelectItem Select, ImapMailbox Expected)>();
        var tails = new List<(ImapMessage[] Messages, FetchItem Fetch)>();
        foreach (var group in messages.Where(m => !Known(m, keys[m.Folder])).GroupBy(m => m.Folder))
        {
            if (mailboxes.Length > 1)
            {
                var select = client.CreateSelect(mailboxes[group.Key].Name, options.ReadOnly);
                selects.Add((select, mailboxes[group.Key]));
                items.Add(select);
            }

            foreach (var (uids, start, length) in TailGroups(group.Where(m => m.ImapSize > 0)))
            {
                foreach (var set in UidSet.Format(uids.Select(m => m.Uid)))
                {
                    var fetch = client.CreateFetch(set, string.Create(CultureInfo.InvariantCulture, $"(BODY.PEEK[]<{start}.{length}>)"));
                    tails.Add((uids, fetch));
                    items.Add(fetch);
                }
            }
        }

        if (items.Count == 0)
        {
            return;
        }

        await client.RunAsync(items, cancellationToken).ConfigureAwait(false);
        foreach (var (select, expected) in selects)
        {
            select.EnsureOk();
            if (select.Mailbox!.UidValidity != expected.UidValidity)
            {
                throw new MaildropException(ResponseCodes.SysTemp, $"upstream folder {expected.Name} changed its UIDVALIDITY while opening");
            }
        }

        // Dovecot runs pipelined FETCH commands side by side, so an answer may come while an earlier command is still
        // open and land in that command's results: match the answers of a folder by UID, not by command.
        foreach (var folder in tails.GroupBy(t => t.Messages[0].Folder))
        {
            var answers = new Dictionary<uint, byte[]>();
            foreach (var result in folder.SelectMany(t => t.Fetch.Results))
            {
                if (result.Sections.Count > 0)
                {
                    answers[result.Uid!.Value] = result.Sections.Values.First();
                }
            }

            var checkedMessages = folder.SelectMany(t => t.Messages).ToList();
            foreach (var message in checkedMessages)
            {
                // A message expunged meanwhile keeps its size; fetching it later reports it gone.
                if (answers.TryGetValue(message.Uid, out var tail) && tail.Length > 0 && tail[^1] != (byte)'\n')
                {
                    message.WireSize = message.ImapSize + 2;
                }
            }

            FinalNewlineCache.Record(
                keys[folder.Key],
                checkedMessages.Max(m => m.Uid),
                checkedMessages.Where(m => m.WireSize != m.ImapSize).Select(m => m.Uid),
                options.StateDirectory);
        }
    }

    /// <summary>
    /// Messages of about the same size share one FETCH: the partial <c>&lt;start.length&gt;</c> of a group runs from two
    /// octets before the end of its smallest message to the end of its largest, and a server cuts a partial at the end
    /// of each message, so every answer ends with that message's own last octets. Groups span a few KiB, or 1/64 of
    /// the size for large messages, so a 10,000-message folder takes a few hundred commands and reads about 1/64 of it.
    /// </summary>
    internal static IEnumerable<(ImapMessage[] Messages, long Start, long Length)> TailGroups(IEnumerable<ImapMessage> messages)
    {
        var group = new List<ImapMessage>();
        foreach (var message in messages.OrderBy(m => m.ImapSize))
        {
            if (group.Count > 0 && (message.ImapSize - group[0].ImapSize > Span(group[0].ImapSize) || group.Count == MaxGroup))
            {
                yield return Close(group);
                group = [];
            }

            group.Add(message);
        }

        if (group.Count > 0)
        {
            yield return Close(group);
        }

        static long Span(long smallest) => Math.Min(MaxSpan, Math.Max(MinSpan, smallest / 64));

        static (ImapMessage[], long, long) Close(List<ImapMessage> group)
        {
            var start = Math.Max(0, group[0].ImapSize - 2);
            return ([.. group], start, group[^1].ImapSize - start);
        }
    }

    private static bool Known(ImapMessage message, string key)
    {
        if (message.ImapSize == 0 || !FinalNewlineCache.TryGet(key, message.Uid, out var lacking))
        {
            return message.ImapSize == 0;
        }

        message.WireSize = message.ImapSize + (lacking ? 2 : 0);
        return true;
    }
}
