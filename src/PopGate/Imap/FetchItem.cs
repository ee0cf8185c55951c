using PopGate.Stores;

namespace PopGate.Imap;

/// <summary>UID FETCH: collects the FETCH responses, and sends body sections to a sink when one is given.</summary>
public sealed class FetchItem : BatchItem
{
    private readonly IMessageSink? _sink;
    private readonly List<FetchData> _results = [];

    /// <param name="command">The UID FETCH command.</param>
    /// <param name="sink">Where section literals go; null keeps small ones in <see cref="FetchData.Sections"/>.</param>
    internal FetchItem(ImapCommand command, IMessageSink? sink)
        : base(command) => _sink = sink;

    /// <summary>The FETCH responses that carried a UID, in arrival order.</summary>
    public IReadOnlyList<FetchData> Results => _results;

    public override IMessageSink? SinkFor(FetchData fetch, string section, long length) => _sink;

    public override void OnUntagged(ImapResponse response)
    {
        // Without a UID it is an unsolicited flag update of some message, not an answer to UID FETCH.
        if (response is ImapFetchResponse { Data.Uid: not null } fetch)
        {
            _results.Add(fetch.Data);
        }
        else if (response is ImapFetchResponse { Data: { } data } && (data.StreamedSections.Count > 0 || data.Sections.Count > 0))
        {
            throw new ImapProtocolException("the server sent message content without its UID");
        }
    }
}
