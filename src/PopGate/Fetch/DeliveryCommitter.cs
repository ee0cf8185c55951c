namespace PopGate.Fetch;

/// <summary>
/// Group commit for a <see cref="IBatchedDelivery"/>: the reading loop reports each message written, and one loop
/// beside it syncs whatever was written since its last sync, then hands that group on as delivered. While one sync
/// runs the next group gathers, so the download never waits for the disk and the disk is flushed once per group.
/// </summary>
internal sealed class DeliveryCommitter
{
    private readonly IBatchedDelivery _delivery;
    private readonly Action<IReadOnlyList<(FetchedMessage Message, long Octets)>> _delivered;
    private readonly Action<IReadOnlyList<(FetchedMessage Message, long Octets)>, Exception> _failed;
    private readonly SemaphoreSlim _signal = new(0);
    private readonly Lock _gate = new();
    private readonly Task _loop;
    private List<(FetchedMessage Message, long Octets)> _written = [];
    private bool _completing;

    public DeliveryCommitter(
        IBatchedDelivery delivery,
        Action<IReadOnlyList<(FetchedMessage Message, long Octets)>> delivered,
        Action<IReadOnlyList<(FetchedMessage Message, long Octets)>, Exception> failed,
        CancellationToken cancellationToken)
    {
        _delivery = delivery;
        _delivered = delivered;
        _failed = failed;
        _loop = Task.Run(() => LoopAsync(cancellationToken), CancellationToken.None);
    }

    /// <summary>A message is written (after the delivery's own record of it, so a sync never misses it).</summary>
    public void Written(FetchedMessage message, long octets)
    {
        lock (_gate)
        {
            _written.Add((message, octets));
        }

        _signal.Release();
    }

    /// <summary>No more messages come; completes when every one written has been synced and handed on.</summary>
    public Task CompleteAsync()
    {
        lock (_gate)
        {
            _completing = true;
        }

        _signal.Release();
        return _loop;
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _signal.WaitAsync(cancellationToken).ConfigureAwait(false);
            List<(FetchedMessage Message, long Octets)> group;
            bool last;
            lock (_gate)
            {
                group = _written;
                _written = [];
                last = _completing;
            }

            if (group.Count > 0)
            {
                try
                {
                    await _delivery.SyncAsync(cancellationToken).ConfigureAwait(false);
                    _delivered(group);
                }
                catch (DeliveryException e)
                {
                    _failed(group, e);
                }
            }

            if (last)
            {
                return;
            }
        }
    }
}
