using PopGate.Imap;

namespace PopGate.Stores.Imap;

/// <summary>
/// One <c>UID FETCH u1,u2,... (UID BODY.PEEK[])</c> for the message being sent (if any) and the next ones: the message
/// being sent streams to its sink, the others are kept in memory until their RETR comes. Answers are told apart by UID
/// (servers send it before the body); a body whose UID comes after it is kept, and sorted out when the reply is in.
/// </summary>
internal sealed class ReadAheadFetch : BatchItem
{
    private readonly uint? _live;
    private readonly IMessageSink? _liveSink;
    private readonly long _largestKept;
    private readonly List<(FetchData Fetch, KeptBody Body)> _kept = [];

    /// <param name="largestKept">The most memory to reserve for one kept body before its bytes arrive.</param>
    public ReadAheadFetch(string uidSet, uint? live, IMessageSink? liveSink, long largestKept)
        : base(new ImapCommand("UID FETCH").Atom(uidSet).Atom("(UID BODY.PEEK[])"))
    {
        _live = live;
        _liveSink = liveSink;
        _largestKept = largestKept;
    }

    /// <summary>True once the live message's body went to its sink.</summary>
    public bool LiveSent { get; private set; }

    public override IMessageSink? SinkFor(FetchData fetch, string section, long length)
    {
        if (section != "BODY[]")
        {
            return null;
        }

        if (_live is not null && fetch.Uid == _live && !LiveSent)
        {
            LiveSent = true;
            return _liveSink;
        }

        var body = new KeptBody(length, _largestKept);
        _kept.Add((fetch, body));
        return body;
    }

    /// <summary>The kept bodies by UID, once the command completed; a body without a UID is dropped, and of two
    /// for one UID the first is kept.</summary>
    public Dictionary<uint, KeptBody> Kept()
    {
        var kept = new Dictionary<uint, KeptBody>(_kept.Count);
        foreach (var (fetch, body) in _kept)
        {
            if (fetch.Uid is { } uid)
            {
                kept.TryAdd(uid, body);
            }
        }

        return kept;
    }
}
