namespace PopGate.Client;

/// <summary>A command answered by a multi-line listing of short lines: CAPA, LIST, UIDL.</summary>
internal sealed class ListingCommand<TItem, TResult> : PendingCommand<TResult>
{
    private readonly Func<byte[], TItem> _parseLine;
    private readonly Func<Pop3Reply, List<TItem>, TResult> _finish;

    /// <param name="parseLine">Parses one unstuffed line; throws <see cref="Pop3ProtocolException"/> when malformed.</param>
    /// <param name="finish">Builds the result, in the reading loop (so CAPA can resize the window before the next reply).</param>
    public ListingCommand(string verb, string line, Func<byte[], TItem> parseLine, Func<Pop3Reply, List<TItem>, TResult> finish, CancellationToken cancellationToken)
        : base(verb, line, null, 0, cancellationToken)
    {
        _parseLine = parseLine;
        _finish = finish;
    }

    public override async ValueTask ReadReplyAsync(ReplyReader replies)
    {
        var reply = await ReadOkAsync(replies).ConfigureAwait(false);
        if (reply is null)
        {
            return;
        }

        var items = new List<TItem>();
        await replies.ReadListingAsync(line => items.Add(_parseLine(line))).ConfigureAwait(false);
        Complete(_finish(reply, items));
    }
}
