namespace PopGate.Client;

/// <summary>Where a RETR or TOP body goes.</summary>
internal interface IBodyTarget<T>
{
    /// <summary>
    /// Reads the body through <paramref name="replies"/> into the destination. A destination failure is reported as
    /// <see cref="BodyTargetException"/> after the body was read to its end; any other exception is a connection fault.
    /// </summary>
    /// <param name="abandoned">True once the caller stopped waiting: stop writing to its destination.</param>
    ValueTask<T> ReceiveAsync(ReplyReader replies, Func<bool> abandoned, CancellationToken cancellationToken);
}
