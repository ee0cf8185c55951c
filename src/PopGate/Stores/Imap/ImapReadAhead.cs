using PopGate.Imap;
using PopGate.Protocol;

namespace PopGate.Stores.Imap;

/// <summary>
/// Messages of one session fetched before their RETR, within <see cref="ImapStoreOptions.ReadAheadBytes"/>. A RETR
/// that finds nothing kept fetches its message and the queued ones in one UID FETCH, streaming its own; a RETR
/// served from memory starts the next such FETCH in the background, so the upstream works while the POP3 client
/// reads. The connection carries one command at a time: anything else that needs it waits for that FETCH first.
/// </summary>
internal sealed class ImapReadAhead(ImapClient client, ImapStoreOptions options, IReadOnlyList<ImapMessage> messages)
{
    private const int MaxAhead = 256;
    private const int KeptChunk = 64 * 1024;

    private readonly Dictionary<int, KeptBody> _kept = [];
    private long _bytes;
    private Task? _inflight;
    private ReadAheadFetch? _inflightFetch;
    private List<int> _inflightIndexes = [];
    private long _reserved;

    /// <summary>The queued RETRs the session announced for the next message.</summary>
    public IReadOnlyList<int> Upcoming { get; set; } = [];

    /// <summary>The message if it was fetched ahead (waiting for the background FETCH when it may bring it).</summary>
    public async Task<KeptBody?> TakeAsync(int index)
    {
        if (!_kept.ContainsKey(index) && _inflight is not null)
        {
            await SettleAsync().ConfigureAwait(false);
        }

        if (!_kept.Remove(index, out var body))
        {
            return null;
        }

        _bytes -= body.Length;
        return body;
    }

    /// <summary>Waits for the background FETCH, if any, and keeps what it brought; the connection is free after.</summary>
    public async Task SettleAsync()
    {
        if (_inflight is not { } inflight)
        {
            return;
        }

        _inflight = null;
        var (fetch, indexes) = (_inflightFetch!, _inflightIndexes);
        _inflightIndexes = [];
        _bytes -= _reserved;
        _reserved = 0;
        await inflight.ConfigureAwait(false);
        fetch.EnsureOk();
        Keep(fetch, indexes);
    }

    /// <summary>Like <see cref="SettleAsync"/>, for the end of the session: failures no longer matter.</summary>
    public async Task SettleQuietlyAsync()
    {
        try
        {
            await SettleAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is ImapProtocolException or ImapCommandException or OperationCanceledException)
        {
        }
    }

    /// <summary>The queued messages of the same folder that fit in what is left of the budget.</summary>
    public List<int> Plan(int index, IReadOnlyList<int> upcoming)
    {
        var plan = new List<int>();
        var budget = options.ReadAheadBytes - _bytes;
        var folder = messages[index].Folder;
        foreach (var next in upcoming)
        {
            if (plan.Count >= Math.Min(options.PipelineWindow, MaxAhead))
            {
                break;
            }

            var candidate = messages[next];
            if (next == index || candidate.Folder != folder || candidate.ImapSize > budget || _kept.ContainsKey(next)
                || _inflightIndexes.Contains(next) || plan.Contains(next))
            {
                continue;
            }

            budget -= candidate.ImapSize;
            plan.Add(next);
        }

        return plan;
    }

    /// <summary>Starts a background FETCH of the queued messages, unless one runs; the folder of
    /// <paramref name="index"/> must be the selected one.</summary>
    public void StartBackground(int index, IReadOnlyList<int> upcoming, CancellationToken cancellationToken)
    {
        if (_inflight is not null || upcoming.Count == 0 || Plan(index, upcoming) is not { Count: > 0 } plan)
        {
            return;
        }

        _inflightFetch = new ReadAheadFetch(Set(plan), null, null, options.ReadAheadBytes);
        _inflightIndexes = plan;
        _reserved = plan.Sum(i => messages[i].ImapSize);
        _bytes += _reserved;
        _inflight = client.RunAsync([_inflightFetch], cancellationToken);
    }

    /// <summary>One UID FETCH for this message and the planned ones: this one is streamed, the others kept.</summary>
    public async Task FetchWithAsync(ImapMessage message, List<int> plan, IMessageSink sink, CancellationToken cancellationToken)
    {
        await SettleAsync().ConfigureAwait(false);
        var fetch = new ReadAheadFetch(Set(plan, message.Uid), message.Uid, sink, options.ReadAheadBytes);
        await client.RunAsync([fetch], cancellationToken).ConfigureAwait(false);
        fetch.EnsureOk();
        var kept = Keep(fetch, plan);
        if (!fetch.LiveSent)
        {
            if (!kept.Remove(message.Uid, out var live))
            {
                throw new MaildropException(ResponseCodes.SysTemp, "the message was removed upstream by another client");
            }

            await WriteAsync(live, sink, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes a kept message to the sink in chunks, until the sink has enough.</summary>
    public static async Task WriteAsync(KeptBody body, IMessageSink sink, CancellationToken cancellationToken)
    {
        var message = body.Bytes;
        for (var offset = 0; offset < message.Length; offset += KeptChunk)
        {
            if (!await sink.WriteAsync(message.Slice(offset, Math.Min(KeptChunk, message.Length - offset)), cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>Keeps the bodies of the planned messages; returns the others (the live one, when its UID came
    /// after its body).</summary>
    private Dictionary<uint, KeptBody> Keep(ReadAheadFetch fetch, List<int> indexes)
    {
        var kept = fetch.Kept();
        foreach (var next in indexes)
        {
            // A message expunged upstream meanwhile brings nothing; its RETR fetches it again and reports it gone.
            if (kept.Remove(messages[next].Uid, out var body))
            {
                if (_kept.Remove(next, out var older))
                {
                    _bytes -= older.Length;
                }

                _kept[next] = body;
                _bytes += body.Length;
            }
        }

        return kept;
    }

    private string Set(List<int> plan, uint? also = null)
    {
        var uids = plan.Select(i => messages[i].Uid);
        return UidSet.Format(also is { } uid ? uids.Append(uid) : uids)[0];
    }
}
