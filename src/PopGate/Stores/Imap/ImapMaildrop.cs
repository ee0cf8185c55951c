using System.Globalization;
using PopGate.Imap;
using PopGate.Protocol;

namespace PopGate.Stores.Imap;

/// <summary>A POP3 session's view of IMAP folders, over the one upstream connection opened at login.</summary>
internal sealed class ImapMaildrop : IMaildrop, IReadAhead
{
    private const int FirstTopChunk = 16 * 1024;
    private const int LargestTopChunk = 1024 * 1024;

    private readonly ImapClient _client;
    private readonly ImapStoreOptions _options;
    private readonly ImapMailbox[] _folders;
    private readonly List<ImapMessage> _messages;
    private readonly MaildropLock[] _locks;
    private readonly ImapReadAhead _readAhead;

    public ImapMaildrop(ImapClient client, ImapStoreOptions options, ImapMailbox[] folders, List<ImapMessage> messages, string[] tags, MaildropLock[] locks)
    {
        _client = client;
        _options = options;
        _folders = folders;
        _messages = messages;
        _locks = locks;
        _readAhead = new ImapReadAhead(client, options, messages);
        Messages = messages.ConvertAll(m => new MessageEntry(UidOf(m, tags), m.WireSize));
    }

    public IReadOnlyList<MessageEntry> Messages { get; }

    /// <summary>UIDVALIDITY.UID, with the folder's tag in front when there are several folders: a new UIDVALIDITY
    /// (the folder was rebuilt) gives new UIDLs, as it must, since the old UIDs may now name other messages.</summary>
    private string UidOf(ImapMessage message, string[] tags)
    {
        var validity = _folders[message.Folder].UidValidity;
        var uid = _folders.Length == 1
            ? string.Create(CultureInfo.InvariantCulture, $"{validity}.{message.Uid}")
            : string.Create(CultureInfo.InvariantCulture, $"{tags[message.Folder]}.{validity}.{message.Uid}");
        return UidHash.ToUid(uid);
    }

    public void Upcoming(IReadOnlyList<int> indexes) => _readAhead.Upcoming = indexes;

    public async ValueTask WriteMessageAsync(int index, IMessageSink sink, int? bodyLines, CancellationToken cancellationToken)
    {
        var message = _messages[index];
        var tracker = new TrackingSink(sink);
        var upcoming = _readAhead.Upcoming;
        _readAhead.Upcoming = [];
        try
        {
            if (await _readAhead.TakeAsync(index).ConfigureAwait(false) is { } kept)
            {
                // While this one goes out from memory, the upstream sends the next ones.
                if (_client.Selected?.Name == _folders[message.Folder].Name)
                {
                    _readAhead.StartBackground(index, upcoming, cancellationToken);
                }

                await ImapReadAhead.WriteAsync(kept, tracker, cancellationToken).ConfigureAwait(false);
                return;
            }

            await _readAhead.SettleAsync().ConfigureAwait(false);
            await SelectAsync(message.Folder, cancellationToken).ConfigureAwait(false);
            var uid = message.Uid.ToString(CultureInfo.InvariantCulture);
            if (bodyLines is null)
            {
                var ahead = _readAhead.Plan(index, upcoming);
                if (ahead.Count > 0)
                {
                    await _readAhead.FetchWithAsync(message, ahead, tracker, cancellationToken).ConfigureAwait(false);
                    return;
                }

                await FetchSectionAsync(uid, "BODY.PEEK[]", tracker, cancellationToken).ConfigureAwait(false);
                return;
            }

            // TOP: the message from its start in growing pieces until the sink has the header and its lines. Not
            // BODY[HEADER] + BODY[TEXT]: Cyrus gives an empty TEXT for a multipart without parts, so only pieces of
            // BODY[] are sure to be the bytes RETR sends.
            long offset = 0;
            var chunk = FirstTopChunk;
            while (!tracker.Stopped)
            {
                var section = string.Create(CultureInfo.InvariantCulture, $"BODY.PEEK[]<{offset}.{chunk}>");
                var length = await FetchSectionAsync(uid, section, tracker, cancellationToken).ConfigureAwait(false);
                if (length < chunk)
                {
                    return;
                }

                offset += length;
                chunk = Math.Min(chunk * 4, LargestTopChunk);
            }
        }
        catch (Exception e) when (e is ImapProtocolException or ImapCommandException)
        {
            throw UpstreamFailure.Of(e, "fetching a message");
        }
    }

    /// <summary>Streams one section of the message to the sink; returns the section's length on the server.</summary>
    private async Task<long> FetchSectionAsync(string uid, string section, TrackingSink sink, CancellationToken cancellationToken)
    {
        var results = await _client.FetchAsync(uid, "(" + section + ")", sink, cancellationToken).ConfigureAwait(false);
        foreach (var result in results)
        {
            if (result.StreamedSections.Count > 0)
            {
                return result.StreamedSections.Values.First();
            }

            if (result.Sections.Count > 0)
            {
                return result.Sections.Values.First().Length;
            }
        }

        throw new MaildropException(ResponseCodes.SysTemp, "the message was removed upstream by another client");
    }

    private async Task SelectAsync(int folder, CancellationToken cancellationToken)
    {
        var expected = _folders[folder];
        if (_client.Selected is { } current && current.Name == expected.Name)
        {
            return;
        }

        var mailbox = await _client.SelectAsync(expected.Name, _options.ReadOnly, cancellationToken).ConfigureAwait(false);
        if (mailbox.UidValidity != expected.UidValidity)
        {
            throw new MaildropException(ResponseCodes.SysTemp, $"upstream folder {expected.Name} was rebuilt (new UIDVALIDITY) during the session");
        }
    }

    public async ValueTask CommitAsync(IReadOnlyCollection<int> deleted, CancellationToken cancellationToken)
    {
        if (deleted.Count == 0)
        {
            return;
        }

        if (_options.ReadOnly)
        {
            throw new MaildropException(ResponseCodes.SysPerm, "the upstream folders are read-only here: nothing was deleted");
        }

        try
        {
            await _readAhead.SettleQuietlyAsync().ConfigureAwait(false);
            foreach (var group in deleted.Select(i => _messages[i]).GroupBy(m => m.Folder).OrderBy(g => g.Key))
            {
                await SelectAsync(group.Key, cancellationToken).ConfigureAwait(false);
                await DeleteAsync(group.Select(m => m.Uid).ToHashSet(), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is ImapProtocolException or ImapCommandException)
        {
            throw UpstreamFailure.Of(e, "deleting messages");
        }
    }

    /// <summary>Flags exactly our messages \Deleted and, with UIDPLUS, expunges exactly those: a message that
    /// another client flagged \Deleted stays until that client expunges it.</summary>
    private async Task DeleteAsync(HashSet<uint> uids, CancellationToken cancellationToken)
    {
        var sets = UidSet.Format(uids);
        var items = sets.Select(set => _client.CreateAddFlags(set, "\\Deleted")).ToList();
        var uidPlus = _client.Capabilities.UidPlus;
        if (uidPlus)
        {
            items.AddRange(sets.Select(_client.CreateUidExpunge));
        }

        await _client.RunAsync(items, cancellationToken).ConfigureAwait(false);
        items.ForEach(i => i.EnsureOk());
        if (uidPlus || _options.ExpungeWithoutUidPlus == ExpungeWithoutUidPlus.Never)
        {
            return;
        }

        var flagged = await _client.SearchAsync("DELETED", cancellationToken).ConfigureAwait(false);
        if (flagged.All(uids.Contains))
        {
            await _client.RunOneAsync(_client.CreateExpunge(), cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _readAhead.SettleQuietlyAsync().ConfigureAwait(false);
            await _client.LogoutAsync(quick.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            await _client.DisposeAsync().ConfigureAwait(false);
            foreach (var held in _locks)
            {
                held.Dispose();
            }
        }
    }

    /// <summary>Remembers whether the sink asked to stop, so TOP fetches no more text.</summary>
    private sealed class TrackingSink(IMessageSink inner) : IMessageSink
    {
        public bool Stopped { get; private set; }

        public async ValueTask<bool> WriteAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
        {
            var more = await inner.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
            Stopped |= !more;
            return more;
        }
    }
}
