namespace PopGate.Client;

/// <summary>RETR or TOP: a status line, then a dot-stuffed body streamed into a target.</summary>
internal sealed class BodyCommand<T> : PendingCommand<T>
{
    private readonly IBodyTarget<T> _target;

    public BodyCommand(string verb, string line, long expectedBytes, IBodyTarget<T> target, CancellationToken cancellationToken)
        : base(verb, line, null, expectedBytes, cancellationToken)
    {
        _target = target;
    }

    public override async ValueTask ReadReplyAsync(ReplyReader replies)
    {
        var reply = await ReadOkAsync(replies).ConfigureAwait(false);
        if (reply is null)
        {
            return;
        }

        if (IsCompleted)
        {
            // Cancelled by the caller: the body still has to be read past, or every later reply would be misread.
            await replies.ReadBodyAsync(NullBufferWriter.Instance, null).ConfigureAwait(false);
            return;
        }

        try
        {
            Complete(await _target.ReceiveAsync(replies, () => IsCompleted, CancellationToken).ConfigureAwait(false));
        }
        catch (BodyTargetException e) when (e.InnerException is OperationCanceledException && CancellationToken.IsCancellationRequested)
        {
            Cancel(CancellationToken);
        }
        catch (BodyTargetException e)
        {
            Fail(e.InnerException!);
        }
    }
}
