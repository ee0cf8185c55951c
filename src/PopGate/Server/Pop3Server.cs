using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace PopGate.Server;

/// <summary>
/// A POP3 server: listeners (plain with STLS, or implicit TLS), connection limits, and one <see cref="Pop3Session"/>
/// per connection. Embeddable: construct, <see cref="StartAsync"/>, read <see cref="EndPoints"/>, <see cref="StopAsync"/>.
/// </summary>
public sealed class Pop3Server : IAsyncDisposable
{
    private readonly ServerContext _context;
    private readonly ConnectionLimiter _limiter;
    private readonly List<(Socket Socket, ListenerOptions Options)> _listeners = [];
    private readonly List<Task> _acceptLoops = [];
    private readonly ConcurrentDictionary<long, Task> _sessions = new();
    private readonly CancellationTokenSource _stopping = new();
    private long _nextId;

    public Pop3Server(Pop3ServerOptions options, IAccountDirectory accounts, ILogger<Pop3Server>? logger = null, TimeProvider? time = null)
    {
        if (options.Listeners.Any(l => l.ImplicitTls) && options.Certificate is null)
        {
            throw new ArgumentException("an implicit-TLS listener needs a certificate", nameof(options));
        }

        _context = new ServerContext(options, accounts, logger ?? NullLogger<Pop3Server>.Instance, time ?? TimeProvider.System);
        _limiter = new ConnectionLimiter(options.MaxConnections, options.MaxConnectionsPerAddress);
    }

    /// <summary>The bound addresses, in the order of the options' listeners (with the real port when 0 was asked).</summary>
    public IReadOnlyList<IPEndPoint> EndPoints => _listeners.Select(l => (IPEndPoint)l.Socket.LocalEndPoint!).ToList();

    /// <summary>Sessions open right now.</summary>
    public int ActiveSessions => _sessions.Count;

    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        foreach (var listener in _context.Options.Listeners)
        {
            var socket = new Socket(listener.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                if (listener.EndPoint.AddressFamily == AddressFamily.InterNetworkV6)
                {
                    socket.DualMode = listener.EndPoint.Address.Equals(IPAddress.IPv6Any);
                }

                socket.Bind(listener.EndPoint);
                socket.Listen(512);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            _listeners.Add((socket, listener));
            Log.Listening(_context.Logger, socket.LocalEndPoint!.ToString()!, listener.ImplicitTls ? "implicit TLS" : _context.Options.Certificate is null ? "plain" : "plain, STLS");
        }

        foreach (var (socket, options) in _listeners)
        {
            _acceptLoops.Add(AcceptLoopAsync(socket, options));
        }

        return Task.CompletedTask;
    }

    private async Task AcceptLoopAsync(Socket listener, ListenerOptions options)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // A connection reset before it was accepted, or a full file table: keep serving.
                Log.AcceptFailed(_context.Logger, e, listener.LocalEndPoint?.ToString() ?? "?");
                await Task.Delay(10).ConfigureAwait(false);
                continue;
            }

            var id = Interlocked.Increment(ref _nextId);
            var task = Task.Run(() => ServeAsync(client, options, id));
            _sessions[id] = task;
            _ = task.ContinueWith(_ => _sessions.TryRemove(id, out Task? _), TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(Socket client, ListenerOptions options, long id)
    {
        var address = (client.RemoteEndPoint as IPEndPoint)?.Address.MapToIPv4IfMapped() ?? IPAddress.None;
        var refusal = _limiter.TryEnter(address);
        if (refusal is not null)
        {
            Log.Refused(_context.Logger, address.ToString(), refusal);
            await RefuseAsync(client, options, refusal).ConfigureAwait(false);
            return;
        }

        try
        {
            var transport = new Pop3Transport(client);
            await using (transport.ConfigureAwait(false))
            {
                Log.SessionStarted(_context.Logger, id, address.ToString());
                if (options.ImplicitTls)
                {
                    await transport.UpgradeToTlsAsync(_context.Options.Certificate!, _context.Options.TlsHandshakeTimeout, _stopping.Token).ConfigureAwait(false);
                }

                await new Pop3Session(_context, transport, id, _stopping.Token).RunAsync().ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException or SocketException)
        {
            Log.ConnectionLost(_context.Logger, id, e.GetType().Name, e.Message);
        }
#pragma warning disable CA1031 // One session's fault must never reach the server.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.SessionCrashed(_context.Logger, e, id);
        }
        finally
        {
            _limiter.Leave(address);
            Log.SessionEnded(_context.Logger, id);
        }
    }

    private static async Task RefuseAsync(Socket client, ListenerOptions options, string reason)
    {
        try
        {
            if (!options.ImplicitTls)
            {
                await client.SendAsync(Encoding.ASCII.GetBytes($"-ERR [SYS/TEMP] {reason}\r\n")).ConfigureAwait(false);
            }

            client.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        finally
        {
            client.Dispose();
        }
    }

    /// <summary>Stops accepting, ends idle sessions, and waits for sessions that are deleting messages to finish.</summary>
    public async Task StopAsync(TimeSpan? grace = null)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var (socket, _) in _listeners)
        {
            socket.Dispose();
        }

        await Task.WhenAll(_acceptLoops).ConfigureAwait(false);
        var sessions = Task.WhenAll(_sessions.Values);
        await Task.WhenAny(sessions, Task.Delay(grace ?? _context.Options.CommitTimeout)).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        _stopping.Dispose();
    }
}
