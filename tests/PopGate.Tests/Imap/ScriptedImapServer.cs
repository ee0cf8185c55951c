using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace PopGate.Tests.Imap;

/// <summary>
/// An IMAP server played from a script on 127.0.0.1 port 0: each connection runs the script, which reads the
/// client's lines and answers with exact bytes. A script that waits for several commands before answering
/// proves the client pipelined them (a client waiting for each reply would stall it until the read timeout).
/// </summary>
internal sealed class ScriptedImapServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Task _accepting;
    private readonly List<Task> _connections = [];

    private ScriptedImapServer(Func<ScriptedConnection, Task> script)
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = AcceptAsync(script);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Everything the clients sent, line by line, across connections.</summary>
    public List<string> Received { get; } = [];

    public static ScriptedImapServer Start(Func<ScriptedConnection, Task> script) => new(script);

    private async Task AcceptAsync(Func<ScriptedConnection, Task> script)
    {
        while (true)
        {
            TcpClient tcp;
            try
            {
                tcp = await _listener.AcceptTcpClientAsync();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (_connections)
            {
                _connections.Add(Task.Run(async () =>
                {
                    using (tcp)
                    {
                        await using var connection = new ScriptedConnection(tcp, Received);
                        await script(connection);
                    }
                }));
            }
        }
    }

    /// <summary>Waits for the scripts to end and rethrows what failed in them (wrong lines, timeouts).</summary>
    public async Task CompletedAsync()
    {
        Task[] running;
        lock (_connections)
        {
            running = [.. _connections];
        }

        await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(20));
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _accepting;
    }
}

/// <summary>One connection of a <see cref="ScriptedImapServer"/>.</summary>
internal sealed class ScriptedConnection(TcpClient tcp, List<string> received) : IAsyncDisposable
{
    private Stream _stream = tcp.GetStream();
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>The name the client asked for in SNI, after <see cref="StartTlsAsync"/>.</summary>
    public string? SniName { get; private set; }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>The next line the client sent, without CRLF (Latin-1, so any byte shows).</summary>
    public async Task<string> ReadLineAsync()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var line = new List<byte>();
        while (true)
        {
            if (_start == _end)
            {
                _start = 0;
                _end = await _stream.ReadAsync(_buffer, cts.Token);
                if (_end == 0)
                {
                    throw new IOException("the client closed the connection");
                }
            }

            var b = _buffer[_start++];
            if (b == (byte)'\n')
            {
                if (line.Count > 0 && line[^1] == (byte)'\r')
                {
                    line.RemoveAt(line.Count - 1);
                }

                var text = Encoding.Latin1.GetString(line.ToArray());
                lock (received)
                {
                    received.Add(text);
                }

                return text;
            }

            line.Add(b);
        }
    }

    /// <summary>Reads a line and checks it.</summary>
    public async Task ExpectAsync(string line) => Assert.Equal(line, await ReadLineAsync());

    /// <summary>True when the client sent nothing more within the time (it waits for us).</summary>
    public async Task<bool> SilentAsync(TimeSpan wait)
    {
        if (_start < _end)
        {
            return false;
        }

        using var cts = new CancellationTokenSource(wait);
        try
        {
            _start = 0;
            _end = await _stream.ReadAsync(_buffer, cts.Token);
            return false;
        }
        catch (OperationCanceledException)
        {
            _end = 0;
            return true;
        }
    }

    /// <summary>Answers STARTTLS's OK then takes the TLS handshake as server.</summary>
    public async Task StartTlsAsync(X509Certificate2 certificate)
    {
        var tls = new SslStream(_stream, leaveInnerStreamOpen: false);
        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate });
        SniName = tls.TargetHostName;
        _stream = tls;
        _start = _end = 0;
    }

    public ValueTask DisposeAsync() => _stream.DisposeAsync();
}
