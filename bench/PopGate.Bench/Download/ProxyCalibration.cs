using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using PopGate.Testing;

namespace PopGate.Bench.Download;

/// <summary>What the latency proxy gives at one delay: connect-to-greeting time, a request/reply round trip, and
/// bulk throughput from server to client.</summary>
public sealed record ProxyFigures(TimeSpan OneWayDelay, TimeSpan Greeting, TimeSpan RoundTrip, double BytesPerSecond);

/// <summary>Measures the proxy, so that the physical floor of a download rests on the link as it really behaves.</summary>
public static class ProxyCalibration
{
    private const int BulkBytes = 32 << 20;

    /// <summary>Bulk transfers measured; the best counts, since the machine is shared and a slow one is not the link.</summary>
    private const int BulkRuns = 3;

    public static async Task<ProxyFigures> MeasureAsync(int pop3Port, TimeSpan oneWayDelay, CancellationToken cancellationToken)
    {
        await using var proxy = LatencyProxy.Start(pop3Port, oneWayDelay);
        var clock = Stopwatch.StartNew();
        TimeSpan greeting;
        TimeSpan roundTrip;
        await using (var client = await RawPop3Client.ConnectAsync(proxy.Port).ConfigureAwait(false))
        {
            await client.ReadLineAsync().ConfigureAwait(false);
            greeting = clock.Elapsed;
            // The best of a few, as a ping would report it: one slow timer wake-up is not the link.
            roundTrip = TimeSpan.MaxValue;
            for (var i = 0; i < 5; i++)
            {
                clock.Restart();
                // CAPA is answered before login (Dovecot closes the connection on NOOP there).
                await client.CommandAsync("CAPA").ConfigureAwait(false);
                await client.ReadMultiLineAsync().ConfigureAwait(false);
                roundTrip = clock.Elapsed < roundTrip ? clock.Elapsed : roundTrip;
            }
        }

        var throughput = 0.0;
        for (var i = 0; i < BulkRuns; i++)
        {
            throughput = Math.Max(throughput, await ThroughputAsync(oneWayDelay, cancellationToken).ConfigureAwait(false));
        }

        return new ProxyFigures(oneWayDelay, greeting, roundTrip, throughput);
    }

    /// <summary>Bytes per second from the first to the last byte of a bulk transfer from a local sender.</summary>
    private static async Task<double> ThroughputAsync(TimeSpan oneWayDelay, CancellationToken cancellationToken)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var sender = SendBulkAsync(listener, cancellationToken);
            await using var proxy = LatencyProxy.Start(((IPEndPoint)listener.LocalEndpoint).Port, oneWayDelay);
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(IPAddress.Loopback, proxy.Port, cancellationToken).ConfigureAwait(false);
            var buffer = new byte[256 * 1024];
            var first = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            var clock = Stopwatch.StartNew();
            long rest = 0;
            int n;
            while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false)) > 0)
            {
                rest += n;
            }

            var elapsed = clock.Elapsed;
            await sender.ConfigureAwait(false);
            if (first + rest != BulkBytes)
            {
                throw new InvalidOperationException($"the proxy delivered {first + rest} of {BulkBytes} bytes");
            }

            return rest / elapsed.TotalSeconds;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static async Task SendBulkAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        using var socket = await listener.AcceptSocketAsync(cancellationToken).ConfigureAwait(false);
        var chunk = new byte[64 * 1024];
        for (var sent = 0; sent < BulkBytes;)
        {
            sent += await socket.SendAsync(chunk, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        }

        socket.Shutdown(SocketShutdown.Send);
    }
}
