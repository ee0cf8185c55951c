using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using PopGate.Testing;

namespace PopGate.Tests.Testing;

public sealed class LatencyProxyTests
{
    [Fact]
    public async Task Greeting_arrives_two_round_trips_after_connect_and_each_reply_one_more()
    {
        using var server = new GreetingEchoServer("hello\r\n");
        await using var proxy = LatencyProxy.Start(server.Port, TimeSpan.FromMilliseconds(40));
        using var client = new TcpClient();
        var clock = Stopwatch.StartNew();
        await client.ConnectAsync(IPAddress.Loopback, proxy.Port);
        var stream = client.GetStream();

        Assert.Equal("hello\r\n", await ReadLineAsync(stream));
        var greetingAt = clock.Elapsed;
        await stream.WriteAsync("ping\r\n"u8.ToArray());
        Assert.Equal("ping\r\n", await ReadLineAsync(stream));
        var replyAfter = clock.Elapsed - greetingAt;

        Assert.True(greetingAt >= TimeSpan.FromMilliseconds(155), $"greeting after {greetingAt.TotalMilliseconds} ms");
        Assert.True(replyAfter >= TimeSpan.FromMilliseconds(75), $"reply after {replyAfter.TotalMilliseconds} ms");
        Assert.Equal(1, proxy.ClientTurns);
        Assert.Equal(1, proxy.Connections);
        Assert.Equal(13, proxy.ServerToClientBytes);
        Assert.Equal(6, proxy.ClientToServerBytes);
    }

    [Fact]
    public async Task Cut_closes_the_connection_after_exactly_that_many_server_octets()
    {
        using var server = new GreetingEchoServer(new string('x', 5000) + "\r\n");
        await using var proxy = LatencyProxy.Start(server.Port, TimeSpan.Zero);
        proxy.CutAfterServerBytes = 1234;
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, proxy.Port);
        var stream = client.GetStream();

        var received = 0;
        var buffer = new byte[8192];
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10))) > 0)
            {
                received += n;
            }
        }
        catch (IOException)
        {
            // A reset after the cut is what a lost link looks like.
        }
        Assert.Equal(1234, received);
    }

    private static async Task<string> ReadLineAsync(NetworkStream stream)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (!line.ToString().EndsWith('\n'))
        {
            var n = await stream.ReadAsync(one).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.NotEqual(0, n);
            line.Append((char)one[0]);
        }
        return line.ToString();
    }

    /// <summary>Sends a greeting on accept, then echoes what it receives.</summary>
    private sealed class GreetingEchoServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

        public GreetingEchoServer(string greeting)
        {
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _ = Task.Run(async () =>
            {
                using var socket = await _listener.AcceptSocketAsync();
                await socket.SendAsync(Encoding.ASCII.GetBytes(greeting));
                var buffer = new byte[4096];
                int n;
                try
                {
                    while ((n = await socket.ReceiveAsync(buffer)) > 0)
                    {
                        await socket.SendAsync(buffer.AsMemory(0, n));
                    }
                }
                catch (SocketException)
                {
                    // The proxy cut the connection.
                }
            });
        }

        public int Port { get; }

        public void Dispose() => _listener.Stop();
    }
}
