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
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var server = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync(timeout.Token);
            var first = await ReceiveLinesAsync(socket, 1, timeout.Token);
            Assert.Equal(["CAPA"], first.Lines);
            await SendAsync(socket, "+OK ready\r\n+OK\r\nPIPELINING\r\nUSER\r\nUIDL\r\n.\r\n", timeout.Token);

            var second = await ReceiveLinesAsync(socket, 5, timeout.Token);
            Assert.Equal(["USER u", "PASS p", "STAT", "UIDL", "LIST"], second.Lines);
            Assert.Equal(1, second.Reads);
            await SendAsync(socket, "+OK\r\n+OK\r\n+OK 1 5\r\n+OK\r\n1 a\r\n.\r\n+OK\r\n1 5\r\n.\r\n", timeout.Token);
            Assert.Equal(["QUIT"], (await ReceiveLinesAsync(socket, 1, timeout.Token)).Lines);
            await SendAsync(socket, "+OK bye\r\n", timeout.Token);
        }, timeout.Token);

        await using var client = new Pop3Client(new Pop3ClientOptions { CapaWithGreeting = true, AllowCleartextPasswords = true, RecheckCapabilitiesAfterLogin = false });
        await client.ConnectAsync(new ConnectionSpec("127.0.0.1", port, ConnectionSecurity.None), timeout.Token);
        Assert.True(client.Capabilities.Pipelining);
        Task login;
        Task<Pop3Stat> stat;
        Task<IReadOnlyList<Pop3UidEntry>> uidl;
        Task<IReadOnlyList<Pop3ListEntry>> list;
        using (client.HoldWrites())
        {
            login = client.LoginAsync("u", "p", timeout.Token);
            stat = client.StatAsync(timeout.Token);
            uidl = client.UidlAsync(timeout.Token);
            list = client.ListAsync(timeout.Token);
            await Task.Delay(100, timeout.Token);
            Assert.Equal(0, client.CommandsInFlight);
        }

        await login;
        Assert.Equal(1, (await stat).Count);
        Assert.Equal("a", Assert.Single(await uidl).Uid);
        Assert.Equal(5, Assert.Single(await list).Size);
        await client.QuitAsync(timeout.Token);
        await server;
    }

    [Fact]
    public async Task With_remembered_capabilities_login_and_listing_go_out_before_the_greeting()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var server = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync(timeout.Token);

            // Nothing is sent, not even the greeting, until the client has written all of it.
            var first = await ReceiveLinesAsync(socket, 6, timeout.Token);
            Assert.Equal(["CAPA", "USER u", "PASS p", "STAT", "UIDL", "LIST"], first.Lines);
            await SendAsync(socket, "+OK ready\r\n+OK\r\nPIPELINING\r\nUSER\r\nUIDL\r\nIMPLEMENTATION now\r\n.\r\n+OK\r\n+OK\r\n+OK 1 5\r\n+OK\r\n1 a\r\n.\r\n+OK\r\n1 5\r\n.\r\n", timeout.Token);
            Assert.Equal(["QUIT"], (await ReceiveLinesAsync(socket, 1, timeout.Token)).Lines);
            await SendAsync(socket, "+OK bye\r\n", timeout.Token);
        }, timeout.Token);

        var remembered = new Pop3Capabilities(["PIPELINING", "USER", "UIDL", "IMPLEMENTATION then"]);
        var credentials = new Pop3Credentials("u") { Password = "p" };
        await using var client = new Pop3Client(new Pop3ClientOptions { CapaWithGreeting = true, AllowCleartextPasswords = true, PreferSingleTurnLogin = true });
        await client.ConnectAsync(new ConnectionSpec("127.0.0.1", port, ConnectionSecurity.None), awaitGreeting: false, timeout.Token);
        Assert.False(client.Handshake.IsCompleted);
        Assert.True(client.CanLogInAhead(remembered, credentials));
        Task login;
        Task<Pop3Stat> stat;
        Task<IReadOnlyList<Pop3UidEntry>> uidl;
        Task<IReadOnlyList<Pop3ListEntry>> list;
        using (client.HoldWrites())
        {
            login = client.AuthenticateAsync(credentials, remembered, timeout.Token);
            stat = client.StatAsync(timeout.Token);
            uidl = client.UidlAsync(timeout.Token);
            list = client.ListAsync(timeout.Token);
        }

        await login;
        Assert.Equal("ready", client.Greeting?.Text);
        Assert.Equal("now", client.Capabilities.Implementation);
        Assert.Equal(1, (await stat).Count);
        Assert.Equal("a", Assert.Single(await uidl).Uid);
        Assert.Equal(5, Assert.Single(await list).Size);
        await client.QuitAsync(timeout.Token);
        await server;
    }

    [Fact]
    public async Task A_login_sent_ahead_on_stale_capabilities_fails_with_the_servers_answer_and_the_fresh_ones_are_known()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var server = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync(timeout.Token);
            var first = await ReceiveLinesAsync(socket, 3, timeout.Token);
            Assert.Equal(["CAPA", "USER u", "PASS p"], first.Lines);

            // Since the last session this server stopped taking USER/PASS.
            await SendAsync(socket, "+OK ready\r\n+OK\r\nPIPELINING\r\nSASL SCRAM-SHA-256\r\n.\r\n-ERR [AUTH] USER is disabled\r\n-ERR [AUTH] PASS without USER\r\n", timeout.Token);
        }, timeout.Token);

        var remembered = new Pop3Capabilities(["PIPELINING", "USER"]);
        var credentials = new Pop3Credentials("u") { Password = "p" };
        await using var client = new Pop3Client(new Pop3ClientOptions { CapaWithGreeting = true, AllowCleartextPasswords = true, PreferSingleTurnLogin = true });
        await client.ConnectAsync(new ConnectionSpec("127.0.0.1", port, ConnectionSecurity.None), awaitGreeting: false, timeout.Token);
        var error = await Assert.ThrowsAsync<Pop3CommandException>(() => client.AuthenticateAsync(credentials, remembered, timeout.Token));
        Assert.Equal("AUTH", error.ResponseCode);
        Assert.False(client.Capabilities.User);
        Assert.True(client.Capabilities.HasSasl("SCRAM-SHA-256"));
        Assert.False(client.CanLogInAhead(client.Capabilities, credentials));
        await server;
    }

    [Fact]
    public async Task A_greeting_that_refuses_the_session_is_the_error_of_a_login_sent_ahead()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var server = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync(timeout.Token);
            await ReceiveLinesAsync(socket, 3, timeout.Token);
            await SendAsync(socket, "-ERR [SYS/TEMP] too busy, try later\r\n", timeout.Token);
            socket.Shutdown(SocketShutdown.Both);
        }, timeout.Token);

        var credentials = new Pop3Credentials("u") { Password = "p" };
        await using var client = new Pop3Client(new Pop3ClientOptions { CapaWithGreeting = true, AllowCleartextPasswords = true });
        await client.ConnectAsync(new ConnectionSpec("127.0.0.1", port, ConnectionSecurity.None), awaitGreeting: false, timeout.Token);
        var error = await Assert.ThrowsAnyAsync<Pop3Exception>(() => client.AuthenticateAsync(credentials, new Pop3Capabilities(["PIPELINING", "USER"]), timeout.Token));
        Assert.Contains("too busy", error.Message, StringComparison.Ordinal);
        await server;
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
