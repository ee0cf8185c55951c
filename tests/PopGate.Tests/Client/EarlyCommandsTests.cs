using System.Net;
using System.Net.Sockets;
using System.Text;
using PopGate.Client;

namespace PopGate.Tests.Client;

/// <summary>
/// On a real loopback socket, a server that answers nothing until it has read what the client must send without
/// waiting: CAPA before the greeting (with CapaWithGreeting), then login, STAT, UIDL and LIST held into one write.
/// A client that waited for any reply first would never get one and the test would time out.
/// </summary>
public sealed class EarlyCommandsTests
{
    [Fact]
    public async Task Capa_goes_before_the_greeting_and_login_with_listing_goes_in_one_write()
    {
        using var server = new ScriptedConnection(async (socket, token) =>
        {
            var first = await ReceiveLinesAsync(socket, 1, token);
            Assert.Equal(["CAPA"], first.Lines);
            await SendAsync(socket, "+OK ready\r\n+OK\r\nPIPELINING\r\nUSER\r\nUIDL\r\n.\r\n", token);

            var second = await ReceiveLinesAsync(socket, 5, token);
            Assert.Equal(["USER u", "PASS p", "STAT", "UIDL", "LIST"], second.Lines);
            Assert.Equal(1, second.Reads);
            await SendAsync(socket, "+OK\r\n+OK\r\n+OK 1 5\r\n+OK\r\n1 a\r\n.\r\n+OK\r\n1 5\r\n.\r\n", token);
            Assert.Equal(["QUIT"], (await ReceiveLinesAsync(socket, 1, token)).Lines);
            await SendAsync(socket, "+OK bye\r\n", token);
        });

        await using var client = new Pop3Client(new Pop3ClientOptions { CapaWithGreeting = true, AllowCleartextPasswords = true, RecheckCapabilitiesAfterLogin = false });
        await client.ConnectAsync(new ConnectionSpec("127.0.0.1", server.Port, ConnectionSecurity.None), server.Token);
        Assert.True(client.Capabilities.Pipelining);
        Task login;
        Task<Pop3Stat> stat;
        Task<IReadOnlyList<Pop3UidEntry>> uidl;
        Task<IReadOnlyList<Pop3ListEntry>> list;
        using (client.HoldWrites())
        {
            login = client.LoginAsync("u", "p", server.Token);
            stat = client.StatAsync(server.Token);
            uidl = client.UidlAsync(server.Token);
            list = client.ListAsync(server.Token);
            await Task.Delay(100, server.Token);
            Assert.Equal(0, client.CommandsInFlight);
        }

        await login;
        Assert.Equal(1, (await stat).Count);
        Assert.Equal("a", Assert.Single(await uidl).Uid);
        Assert.Equal(5, Assert.Single(await list).Size);
        await client.QuitAsync(server.Token);
        await server.Served;
    }

    [Fact]
    public async Task With_remembered_capabilities_login_and_listing_go_out_before_the_greeting()
    {
        using var server = new ScriptedConnection(async (socket, token) =>
        {

            // Nothing is sent, not even the greeting, until the client has written all of it.
            var first = await ReceiveLinesAsync(socket, 6, token);
            Assert.Equal(["CAPA", "USER u", "PASS p", "STAT", "UIDL", "LIST"], first.Lines);
            await SendAsync(socket, "+OK ready\r\n+OK\r\nPIPELINING\r\nUSER\r\nUIDL\r\nIMPLEMENTATION now\r\n.\r\n+OK\r\n+OK\r\n+OK 1 5\r\n+OK\r\n1 a\r\n.\r\n+OK\r\n1 5\r\n.\r\n", token);
            Assert.Equal(["QUIT"], (await ReceiveLinesAsync(socket, 1, token)).Lines);
            await SendAsync(socket, "+OK bye\r\n", token);
        });

        var remembered = new Pop3Capabilities(["PIPELINING", "USER", "UIDL", "IMPLEMENTATION then"]);
        var credentials = new Pop3Credentials("u") { Password = "p" };
        await using var client = new Pop3Client(new Pop3ClientOptions { CapaWithGreeting = true, AllowCleartextPasswords = true, PreferSingleTurnLogin = true });
        await client.ConnectAsync(new ConnectionSpec("127.0.0.1", server.Port, ConnectionSecurity.None), awaitGreeting: false, server.Token);
        Assert.False(client.Handshake.IsCompleted);
        Assert.True(client.CanLogInAhead(remembered, credentials));
        Task login;
        Task<Pop3Stat> stat;
        Task<IReadOnlyList<Pop3UidEntry>> uidl;
        Task<IReadOnlyList<Pop3ListEntry>> list;
        using (client.HoldWrites())
        {
            login = client.AuthenticateAsync(credentials, remembered, server.Token);
            stat = client.StatAsync(server.Token);
            uidl = client.UidlAsync(server.Token);
            list = client.ListAsync(server.Token);
        }

        await login;
        Assert.Equal("ready", client.Greeting?.Text);
        Assert.Equal("now", client.Capabilities.Implementation);
        Assert.Equal(1, (await stat).Count);
        Assert.Equal("a", Assert.Single(await uidl).Uid);
        Assert.Equal(5, Assert.Single(await list).Size);
        await client.QuitAsync(server.Token);
        await server.Served;
    }

    [Fact]
    public async Task A_login_sent_ahead_on_stale_capabilities_fails_with_the_servers_answer_and_the_fresh_ones_are_known()
    {
        using var server = new ScriptedConnection(async (socket, token) =>
        {
            var first = await ReceiveLinesAsync(socket, 3, token);
            Assert.Equal(["CAPA", "USER u", "PASS p"], first.Lines);

            // Since the last session this server stopped taking USER/PASS.
            await SendAsync(socket, "+OK ready\r\n+OK\r\nPIPELINING\r\nSASL SCRAM-SHA-256\r\n.\r\n-ERR [AUTH] USER is disabled\r\n-ERR [AUTH] PASS without USER\r\n", token);
        });

        var remembered = new Pop3Capabilities(["PIPELINING", "USER"]);
        var credentials = new Pop3Credentials("u") { Password = "p" };
        await using var client = new Pop3Client(new Pop3ClientOptions { CapaWithGreeting = true, AllowCleartextPasswords = true, PreferSingleTurnLogin = true });
        await client.ConnectAsync(new ConnectionSpec("127.0.0.1", server.Port, ConnectionSecurity.None), awaitGreeting: false, server.Token);
        var error = await Assert.ThrowsAsync<Pop3CommandException>(() => client.AuthenticateAsync(credentials, remembered, server.Token));
        Assert.Equal("AUTH", error.ResponseCode);
        Assert.False(client.Capabilities.User);
        Assert.True(client.Capabilities.HasSasl("SCRAM-SHA-256"));
        Assert.False(client.CanLogInAhead(client.Capabilities, credentials));
        await server.Served;
    }

    [Fact]
    public async Task A_greeting_that_refuses_the_session_is_the_error_of_a_login_sent_ahead()
    {
        using var server = new ScriptedConnection(async (socket, token) =>
        {
            await ReceiveLinesAsync(socket, 3, token);
            await SendAsync(socket, "-ERR [SYS/TEMP] too busy, try later\r\n", token);
            socket.Shutdown(SocketShutdown.Both);
        });

        var credentials = new Pop3Credentials("u") { Password = "p" };
        await using var client = new Pop3Client(new Pop3ClientOptions { CapaWithGreeting = true, AllowCleartextPasswords = true });
        await client.ConnectAsync(new ConnectionSpec("127.0.0.1", server.Port, ConnectionSecurity.None), awaitGreeting: false, server.Token);
        var error = await Assert.ThrowsAnyAsync<Pop3Exception>(() => client.AuthenticateAsync(credentials, new Pop3Capabilities(["PIPELINING", "USER"]), server.Token));
        Assert.Contains("too busy", error.Message, StringComparison.Ordinal);
        await server.Served;
    }

    /// <summary>A loopback listener serving one connection with a script, all within a time limit.</summary>
    private sealed class ScriptedConnection : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(20));

        public ScriptedConnection(Func<Socket, CancellationToken, Task> script)
        {
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            Served = Task.Run(async () =>
            {
                using var socket = await _listener.AcceptSocketAsync(_timeout.Token);
                await script(socket, _timeout.Token);
            }, _timeout.Token);
        }

        public int Port { get; }

        public CancellationToken Token => _timeout.Token;

        /// <summary>Completes when the script has run; faults with its failed assertion.</summary>
        public Task Served { get; }

        public void Dispose()
        {
            _listener.Dispose();
            _timeout.Dispose();
        }
    }

    private static async Task<(List<string> Lines, int Reads)> ReceiveLinesAsync(Socket socket, int count, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        var reads = 0;
        while (text.ToString().Split("\r\n").Length - 1 < count)
        {
            var n = await socket.ReceiveAsync(buffer, cancellationToken);
            Assert.True(n > 0, "the client closed the connection");
            reads++;
            text.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }

        return (text.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries).ToList(), reads);
    }

    private static async Task SendAsync(Socket socket, string text, CancellationToken cancellationToken) =>
        await socket.SendAsync(Encoding.ASCII.GetBytes(text), cancellationToken);
}
