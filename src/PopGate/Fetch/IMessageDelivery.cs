using System.IO.Pipelines;

namespace PopGate.Fetch;

/// <summary>
/// Where fetched messages go: a Maildir, an mbox file or a delivery command. Deliveries run one at a time, in the
/// order the messages arrive; a delivery has succeeded only when the message is safely on disk (or the command
/// said so), because the message is deleted on the server right after.
/// </summary>
public interface IMessageDelivery : IAsyncDisposable
{
    /// <summary>For messages: "Maildir /home/me/Mail".</summary>
    string Description { get; }

    /// <summary>
    /// How many deliveries may be made durable and recorded together. More than one only where an interrupted
    /// run's deliveries are recognised at the destination (Maildir digests, mbox pending records); a command's are
    /// not, so it records each message at once.
    /// </summary>
    int RecordBatch { get; }

    /// <summary>Prepares the destination; with <paramref name="create"/> false (a dry run) nothing is created or changed.</summary>
    ValueTask OpenAsync(bool create, CancellationToken cancellationToken);

    /// <summary>True when the destination already holds this message, delivered by an interrupted run not recorded.</summary>
    bool Holds(FetchedMessage message);

    /// <summary>
    /// Settles an append recorded as pending by an interrupted run: true when it is complete (the message is
    /// delivered); false when it never happened or was torn (and the torn part removed when that is safe).
    /// </summary>
    ValueTask<bool> SettlePendingAsync(PendingAppend pending, CancellationToken cancellationToken);

    /// <summary>
    /// Delivers one message as its body arrives; returns the octets written. <paramref name="beforeAppend"/> is
    /// called by deliveries that append to a shared file, before the first byte goes in. Throws when the message
    /// could not be delivered; nothing partial is then left behind where that can be helped.
    /// </summary>
    ValueTask<long> DeliverAsync(FetchedMessage message, PipeReader body, Func<PendingAppend, ValueTask> beforeAppend, CancellationToken cancellationToken);

    /// <summary>
    /// Makes every delivery since the last call durable (a delivery may finish syncing in the background) and
    /// returns those that failed in doing so; only the others may be recorded and deleted.
    /// </summary>
    ValueTask<IReadOnlyList<(FetchedMessage Message, Exception Error)>> FlushAsync(CancellationToken cancellationToken);
}
