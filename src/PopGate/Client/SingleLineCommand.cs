namespace PopGate.Client;

/// <summary>A command answered by one line: USER, PASS, APOP, STAT, LIST n, UIDL n, DELE, NOOP, RSET, UTF8, QUIT.</summary>
internal sealed class SingleLineCommand<T> : PendingCommand<T>
{
    private readonly Func<Pop3Reply, T> _onOk;
    private readonly Func<Pop3Reply, ValueTask>? _inLoop;

    /// <param name="onOk">Turns the +OK reply into the result; throws <see cref="Pop3ProtocolException"/> when malformed.</param>
    /// <param name="inLoop">Runs in the reading loop after +OK, before any later reply is read (STLS, QUIT).</param>
    public SingleLineCommand(string verb, string? line, Func<Pop3Reply, T> onOk, CancellationToken cancellationToken,
        string? transcript = null, bool barrier = false, Func<Pop3Reply, ValueTask>? inLoop = null)
        : base(verb, line, transcript, 0, cancellationToken)
    {
        _onOk = onOk;
        _inLoop = inLoop;
        IsBarrier = barrier;
    }

    public override bool IsBarrier { get; }

    public override async ValueTask ReadReplyAsync(ReplyReader replies)
    {
        var reply = await ReadOkAsync(replies).ConfigureAwait(false);
        if (reply is null)
        {
            return;
        }

        var value = _onOk(reply);
        if (_inLoop is not null)
        {
            await _inLoop(reply).ConfigureAwait(false);
        }

        Complete(value);
    }
}
