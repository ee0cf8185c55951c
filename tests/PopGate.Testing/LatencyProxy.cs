using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace PopGate.Testing;

/// <summary>
/// A loopback TCP proxy that delays every chunk by a fixed one-way delay in both directions, for measuring how many
/// round trips a client waits for, and that can cut a connection after a given number of server bytes.
/// </summary>
/// <remarks>
/// A chunk read at time t is written at t + delay; chunks are queued, not serialised, so throughput is kept. The TCP
/// handshake is modelled as the benchmark's Python proxy does: the upstream connection is opened 3 × delay after the
/// client connects, so a server greeting reaches the client 2 round trips after connect, as over a real link.
/// </remarks>
public sealed class LatencyProxy : IAsyncDisposable
{
    private const int ChunkSize = 64 * 1024;

    private readonly TcpListener _listener;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Task _acceptLoop;
    private long _serverToClientBytes;
    private long _clientToServerBytes;
    private int _clientTurns;
    private int _connectionCount;
    private long _cutAfterServerBytes = -1;

    private LatencyProxy(int targetPort, TimeSpan oneWayDelay)
    {
        _targetPort = targetPort;
        OneWayDelay = oneWayDelay;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start(512);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>The port clients connect to, on 127.0.0.1.</summary>
    public int Port { get; }

    public TimeSpan OneWayDelay { get; }

    /// <summary>Octets written to clients, over all connections since start or <see cref="ResetCounters"/>.</summary>
    public long ServerToClientBytes => Interlocked.Read(ref _serverToClientBytes);

    public long ClientToServerBytes => Interlocked.Read(ref _clientToServerBytes);

    /// <summary>Client writes that followed server data: a lower bound on the round trips the client waited for.</summary>
    public int ClientTurns => Volatile.Read(ref _clientTurns);

    public int Connections => Volatile.Read(ref _connectionCount);

    /// <summary>
    /// When set, one line per chunk read: seconds since the connection was accepted, connection number, direction
    /// (c>s or s>c), octets, and the data escaped (a client's in full, a server's first 60 octets), for seeing where a
    /// client waits. Written from the relaying tasks under a lock.
    /// </summary>
    public TextWriter? Trace { get; set; }

    /// <summary>When set, each connection is closed (both sides) once this many server octets reached its client.</summary>
    public long? CutAfterServerBytes
    {
        get { var v = Interlocked.Read(ref _cutAfterServerBytes); return v < 0 ? null : v; }
        set => Interlocked.Exchange(ref _cutAfterServerBytes, value ?? -1);
    }

    public static LatencyProxy Start(int targetPort, TimeSpan oneWayDelay)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(oneWayDelay.Ticks, nameof(oneWayDelay));
        return new LatencyProxy(targetPort, oneWayDelay);
    }

    public void ResetCounters()
    {
        Interlocked.Exchange(ref _serverToClientBytes, 0);
        Interlocked.Exchange(ref _clientToServerBytes, 0);
        Interlocked.Exchange(ref _clientTurns, 0);
        Interlocked.Exchange(ref _connectionCount, 0);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        Task[] running;
        lock (_connections)
        {
            running = [.. _connections];
        }
        try
        {
            await Task.WhenAll(running.Append(_acceptLoop)).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or TimeoutException or IOException)
        {
            // The proxy is going away; whatever its connections were doing no longer matters.
        }
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            var number = Interlocked.Increment(ref _connectionCount);
            var task = Task.Run(() => RelayAsync(client, number));
            lock (_connections)
            {
                _connections.RemoveAll(t => t.IsCompleted);
                _connections.Add(task);
            }
        }
    }

    private async Task RelayAsync(Socket client, int number)
    {
        client.NoDelay = true;
        using var connection = new ProxiedConnection(this, client, number);
        try
        {
            await connection.RunAsync(_stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // A peer closed or reset its side, or the proxy stopped: the other side is closed in Dispose.
        }
    }

    /// <summary>One client connection and its upstream, with a delayed queue per direction.</summary>
    private sealed class ProxiedConnection(LatencyProxy proxy, Socket client, int number) : IDisposable
    {
        private readonly Socket _server = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _sentToClient;
        private int _serverDataSinceClientWrite;

        public async Task RunAsync(CancellationToken stop)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop);
            var token = linked.Token;
            var toServer = Channel.CreateUnbounded<Chunk>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            var toClient = Channel.CreateUnbounded<Chunk>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

            // Client data is read (and timed) from the start, as a kernel would buffer it during the handshake.
            var readClient = ReadAsync(client, toServer.Writer, fromClient: true, token);
            await Task.Delay(proxy.OneWayDelay * 3, token).ConfigureAwait(false);
            await _server.ConnectAsync(IPAddress.Loopback, proxy._targetPort, token).ConfigureAwait(false);

            var tasks = new[]
            {
                readClient,
                ReadAsync(_server, toClient.Writer, fromClient: false, token),
                WriteAsync(toServer.Reader, _server, toClient: false, token),
                WriteAsync(toClient.Reader, client, toClient: true, token),
            };
            try
            {
                // The first side to finish (a close, a reset or a cut) ends the connection: a half-open relay would
                // hide from the client that its server went away.
                await Task.WhenAny(tasks).ConfigureAwait(false);
                await WhenQueuesDrainedAsync(tasks, token).ConfigureAwait(false);
            }
            finally
            {
                await linked.CancelAsync().ConfigureAwait(false);
            }
        }

        public void Dispose()
        {
            client.Dispose();
            _server.Dispose();
        }

        private static async Task WhenQueuesDrainedAsync(Task[] tasks, CancellationToken token)
        {
            // A reader that saw end of stream completes its channel; let the matching writer deliver what is queued.
            var readsDone = tasks[0].IsCompleted ? tasks[2] : tasks[1].IsCompleted ? tasks[3] : Task.CompletedTask;
            try
            {
                await readsDone.WaitAsync(TimeSpan.FromSeconds(30), token).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // A peer that stopped reading is not waited for.
            }
        }

        private async Task ReadAsync(Socket from, ChannelWriter<Chunk> queue, bool fromClient, CancellationToken token)
        {
            try
            {
                while (true)
                {
                    var buffer = new byte[ChunkSize];
                    var n = await from.ReceiveAsync(buffer, SocketFlags.None, token).ConfigureAwait(false);
                    if (n == 0)
                    {
                        return;
                    }
                    if (fromClient)
                    {
                        Interlocked.Add(ref proxy._clientToServerBytes, n);
                        if (Interlocked.Exchange(ref _serverDataSinceClientWrite, 0) == 1)
                        {
                            Interlocked.Increment(ref proxy._clientTurns);
                        }
                    }
                    TraceChunk(buffer.AsSpan(0, n), fromClient);
                    queue.TryWrite(new Chunk(buffer, n, _clock.Elapsed + proxy.OneWayDelay));
                }
            }
            finally
            {
                queue.TryComplete();
            }
        }

        private void TraceChunk(ReadOnlySpan<byte> data, bool fromClient)
        {
            if (proxy.Trace is not { } trace)
            {
                return;
            }

            var shown = fromClient ? data : data[..Math.Min(60, data.Length)];
            var text = new System.Text.StringBuilder(shown.Length + 40);
            foreach (var b in shown)
            {
                text.Append(b switch
                {
                    (byte)'\r' => "\\r",
                    (byte)'\n' => "\\n",
                    (byte)'\\' => "\\\\",
                    >= 0x20 and < 0x7F => ((char)b).ToString(),
                    _ => $"\\x{b:x2}",
                });
            }

            lock (trace)
            {
                trace.WriteLine(System.FormattableString.Invariant($"{_clock.Elapsed.TotalSeconds:0.000000} {number} {(fromClient ? "c>s" : "s>c")} {data.Length} {text}"));
            }
        }

        private async Task WriteAsync(ChannelReader<Chunk> queue, Socket to, bool toClient, CancellationToken token)
        {
            await foreach (var chunk in queue.ReadAllAsync(token).ConfigureAwait(false))
            {
                var wait = chunk.Due - _clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, token).ConfigureAwait(false);
                }
                var length = chunk.Length;
                var cut = toClient ? proxy.CutAfterServerBytes : null;
                if (cut is { } limit && _sentToClient + length >= limit)
                {
                    length = (int)Math.Max(0, limit - _sentToClient);
                }
                await SendAllAsync(to, chunk.Data.AsMemory(0, length), token).ConfigureAwait(false);
                if (toClient)
                {
                    _sentToClient += length;
                    Interlocked.Add(ref proxy._serverToClientBytes, length);
                    Volatile.Write(ref _serverDataSinceClientWrite, 1);
                    if (cut is { } reached && _sentToClient >= reached)
                    {
                        // A cut is a lost link: the client sees a reset, the server a closed connection.
                        client.LingerState = new LingerOption(true, 0);
                        return;
                    }
                }
            }
            if (!toClient)
            {
                _server.Shutdown(SocketShutdown.Send);
            }
            else
            {
                client.Shutdown(SocketShutdown.Send);
            }
        }

        private static async Task SendAllAsync(Socket to, ReadOnlyMemory<byte> data, CancellationToken token)
        {
            while (!data.IsEmpty)
            {
                var n = await to.SendAsync(data, SocketFlags.None, token).ConfigureAwait(false);
                data = data[n..];
            }
        }
    }

    private readonly record struct Chunk(byte[] Data, int Length, TimeSpan Due);
}
