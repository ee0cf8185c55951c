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
    private readonly Dictionary<FetchData, MemorySink> _kept = [];

    public ReadAheadFetch(string uidSet, uint? live, IMessageSink? liveSink)
        : base(new ImapCommand("UID FETCH").Atom(uidSet).Atom("(UID BODY.PEEK[])"))
    {
        _live = live;
        _liveSink = liveSink;
    }

    /// <summary>True once the live message's body went to its sink.</summary>
    public bool LiveSent { get; private set; }

    public override IMessageSink? SinkFor(FetchData fetch, string section)
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

        var sink = new MemorySink();
        _kept[fetch] = sink;
        return sink;
    }

    /// <summary>The kept bodies by UID, once the command completed (a body without a UID is dropped).</summary>
    public Dictionary<uint, byte[]> Kept() =>
        _kept.Where(k => k.Key.Uid is not null).ToDictionary(k => k.Key.Uid!.Value, k => k.Value.ToArray());
}
