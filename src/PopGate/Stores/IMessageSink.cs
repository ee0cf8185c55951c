namespace PopGate.Stores;

/// <summary>Receives a message's bytes from a maildrop.</summary>
public interface IMessageSink
{
    /// <summary>Takes one chunk; the chunk may be reused by the caller once the returned task completes.</summary>
    /// <returns>False when the sink needs no more bytes (a TOP limit was reached).</returns>
    ValueTask<bool> WriteAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken);
}
