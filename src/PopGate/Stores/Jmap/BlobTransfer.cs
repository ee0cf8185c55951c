using System.Buffers;
using PopGate.Jmap;
using PopGate.Protocol;

namespace PopGate.Stores.Jmap;

/// <summary>Streams one blob download into a sink, with an idle timeout per read, counting its wire size.</summary>
internal static class BlobTransfer
{
    private const int ChunkSize = 64 * 1024;

    /// <summary>The blob's wire size, or null when the sink stopped early (TOP) and the size is not known.</summary>
    public static async Task<long?> CopyAsync(
        JmapClient client, JmapSession session, string blobId, IMessageSink? sink, TimeSpan idleTimeout, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await client.DownloadAsync(session, blobId, "message/rfc822", "message.eml", cancellationToken).ConfigureAwait(false);
        }
        catch (JmapException e)
        {
            throw JmapErrors.ToMaildrop(e);
        }

        using (response)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            try
            {
                var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    var size = new WireSize();
                    while (true)
                    {
                        idle.CancelAfter(idleTimeout);
                        var read = await stream.ReadAsync(buffer.AsMemory(0, ChunkSize), idle.Token).ConfigureAwait(false);
                        if (read == 0)
                        {
                            return size.Total;
                        }

                        size.Add(buffer.AsSpan(0, read));
                        if (sink is not null && !await sink.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false))
                        {
                            return null;
                        }
                    }
                }
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new MaildropException(ResponseCodes.SysTemp, "the JMAP server stopped sending the message", e);
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                throw new MaildropException(ResponseCodes.SysTemp, "the message download broke off: " + e.Message, e);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
