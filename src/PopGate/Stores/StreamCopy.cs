using System.Buffers;

namespace PopGate.Stores;

/// <summary>Pushes a stream, or a slice of it, into an <see cref="IMessageSink"/> with one pooled buffer.</summary>
public static class StreamCopy
{
    private const int ChunkSize = 64 * 1024;

    /// <summary>Copies <paramref name="length"/> octets (or to the end when null) from the stream's position.</summary>
    public static async ValueTask ToSinkAsync(Stream source, IMessageSink sink, long? length, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            var left = length ?? long.MaxValue;
            while (left > 0)
            {
                var want = (int)Math.Min(buffer.Length, left);
                var read = await source.ReadAsync(buffer.AsMemory(0, want), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    if (length is not null)
                    {
                        throw new MaildropException("message file is shorter than when the maildrop was opened");
                    }

                    return;
                }

                left -= read;
                if (!await sink.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
