using System.IO.Pipelines;

namespace PopGate.Fetch;

/// <summary>
/// A destination where making a message durable (fsync, the rename into place, fsync of the folder) can be shared by
/// many messages. <see cref="WriteAsync"/> only writes; a message is delivered once a later <see cref="SyncAsync"/>
/// has returned. The fetcher writes each body as it arrives and syncs whatever was written meanwhile, so disk
/// flushes overlap the download instead of stalling it, and a folder is flushed once per group, not per message.
/// </summary>
public interface IBatchedDelivery
{
    /// <summary>Writes one message where no reader sees it yet; returns the octets written.</summary>
    ValueTask<long> WriteAsync(FetchedMessage message, PipeReader body, CancellationToken cancellationToken);

    /// <summary>
    /// Makes every message written so far durable and visible. Throws <see cref="DeliveryException"/> when that
    /// failed; those messages are then not delivered (what reached its place is recognised by a later run).
    /// </summary>
    ValueTask SyncAsync(CancellationToken cancellationToken);
}
