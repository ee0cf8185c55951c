using System.IO.Pipelines;

namespace PopGate.Client;

/// <summary>
/// Receives one message body (RETR or TOP) as it arrives, unstuffed: the reader ends where the message ends.
/// Consumers run one at a time, in the order the commands were queued; the connection reads the next reply only
/// after this consumer returns. A consumer that stops early leaves the rest to be read and dropped.
/// </summary>
/// <remarks>
/// A consumer may queue further commands (say, DELE of the message it just stored) but must not await their
/// replies: those come after the reply it is consuming, so awaiting them there would wait forever.
/// </remarks>
public delegate ValueTask<T> Pop3BodyConsumer<T>(PipeReader body, CancellationToken cancellationToken);
