namespace PopGate.Imap;

/// <summary>What became of one appended message.</summary>
/// <param name="Accepted">True when the server stored it.</param>
/// <param name="Uid">Its UID from APPENDUID (UIDPLUS), or null.</param>
/// <param name="Error">The server's reason when it refused the message.</param>
public sealed record AppendResult(bool Accepted, uint? Uid, string? Error);

public sealed partial class ImapClient
{
    /// <summary>
    /// Appends messages, one APPEND each, pipelined when the server takes non-synchronizing literals (LITERAL+);
    /// otherwise each waits for its "+". Every message gets its own verdict, so one the server refuses (Cyrus refuses
    /// NUL, bare LF and malformed headers) does not take the others down.
    /// </summary>
    /// <param name="mailbox">The target mailbox.</param>
    /// <param name="messages">The messages, sent byte for byte.</param>
    /// <param name="flags">Flags for every message, e.g. "\Seen", or null.</param>
    /// <param name="binary">Send literal8 (~{n}, BINARY extension), so NUL octets may pass.</param>
    /// <param name="cancellationToken">Cancels the whole batch (and makes the connection unusable).</param>
    public async Task<IReadOnlyList<AppendResult>> AppendAsync(
        string mailbox, IReadOnlyList<ReadOnlyMemory<byte>> messages, string? flags, bool binary, CancellationToken cancellationToken)
    {
        var items = messages.Select(m => CreateAppend(mailbox, [m], flags, binary)).ToList();
        await RunAsync(items, cancellationToken).ConfigureAwait(false);
        return items.ConvertAll(i => i.Succeeded
            ? new AppendResult(true, i.Uids.Count == 1 ? i.Uids[0] : null, null)
            : new AppendResult(false, null, i.Status!.Text));
    }

    /// <summary>Appends all messages in one MULTIAPPEND command (RFC 3502): all are stored, or none.</summary>
    public async Task<AppendItem> MultiAppendAsync(
        string mailbox, IReadOnlyList<ReadOnlyMemory<byte>> messages, string? flags, bool binary, CancellationToken cancellationToken)
    {
        if (messages.Count > 1 && !Capabilities.Has("MULTIAPPEND"))
        {
            throw new ImapProtocolException("the server does not offer MULTIAPPEND");
        }

        return await RunOneAsync(CreateAppend(mailbox, messages, flags, binary), cancellationToken).ConfigureAwait(false);
    }
}
