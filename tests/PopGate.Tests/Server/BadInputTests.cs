using System.Net;
using System.Net.Sockets;
using System.Text;
using PopGate.Testing;

namespace PopGate.Tests.Server;

/// <summary>Malformed and hostile input gets -ERR (or a closed connection) and never costs mail or other sessions.</summary>
public sealed class BadInputTests
{
    private static readonly string[] Messages = ["Subject: a\n\nA\n", "Subject: b\n\nB\n"];

    [Theory]
    [InlineData("BOGUS")]
    [InlineData("RETR 1")]
    [InlineData("STAT")]
    [InlineData("PASS x")]
    [InlineData("APOP onlyname")]
    [InlineData("AUTH NOSUCHMECH")]
    [InlineData("STLS")]
    [InlineData("CAPA\0")]
    public async Task Bad_commands_before_login_get_err_and_the_session_goes_on(string command)
    {
        await using var server = await TestServer.StartAsync(Messages);
        await using var client = await server.ConnectAsync();
        Assert.StartsWith("-ERR", await client.CommandAsync(command));
        Assert.StartsWith("+OK", await client.CommandAsync($"USER {TestServer.User}"));
        Assert.StartsWith("+OK", await client.CommandAsync($"PASS {TestServer.Password}"));
    }

    [Theory]
    [InlineData("RETR")]
    [InlineData("RETR 0")]
    [InlineData("RETR 3")]
    [InlineData("RETR -1")]
    [InlineData("RETR +1")]
    [InlineData("RETR 1 2")]
    [InlineData("RETR 99999999999999999999")]
    [InlineData("TOP 1")]
    [InlineData("TOP 1 -1")]
    [InlineData("TOP 1 x")]
    [InlineData("LIST 1 2")]
    [InlineData("DELE x")]
    [InlineData("STAT 1")]
    [InlineData("USER bob")]
    [InlineData("STLS")]
    [InlineData("NOOP x")]
    public async Task Bad_commands_after_login_get_err_and_the_session_goes_on(string command)
    {
        await using var server = await TestServer.StartAsync(Messages);
        await using var client = await server.LoginAsync();
        Assert.StartsWith("-ERR", await client.CommandAsync(command));
        Assert.StartsWith("+OK 2 ", await client.CommandAsync("STAT"));
    }

    [Fact]
    public async Task An_overlong_line_gets_err_then_the_next_command_works()
    {
        await using var server = await TestServer.StartAsync(Messages);
        await using var client = await server.LoginAsync();
        Assert.StartsWith("-ERR", await client.CommandAsync("NOOP " + new string('x', 5000)));
        Assert.StartsWith("+OK 2 ", await client.CommandAsync("STAT"));
        // A line of exactly 255 octets is still accepted (as a command it is simply unknown).
        Assert.StartsWith("-ERR unknown", await client.CommandAsync(new string('Z', 255)));
    }

    [Fact]
    public async Task Binary_garbage_without_line_ends_does_not_stop_other_sessions()
    {
        await using var server = await TestServer.StartAsync(Messages);
        await using var garbage = await server.ConnectAsync();
        var noise = new byte[200_000];
        new Random(7).NextBytes(noise);
        for (var i = 0; i < noise.Length; i++)
        {
            if (noise[i] == (byte)'\n')
            {
                noise[i] = 0;
            }
        }

        await garbage.SendAsync(noise);
        await using var client = await server.LoginAsync();
        Assert.StartsWith("+OK 2 ", await client.CommandAsync("STAT"));
        // The garbage session is still usable after a line end.
        await garbage.SendAsync("\r\nNOOP\r\n");
        Assert.StartsWith("-ERR", await garbage.ReadLineAsync());
        Assert.StartsWith("-ERR", await garbage.ReadLineAsync());
    }

    [Fact]
    public async Task Too_many_errors_close_the_session()
    {
        await using var server = await TestServer.StartAsync(Messages, o => o with { MaxErrors = 3 });
        await using var client = await server.ConnectAsync();
        await client.SendAsync("X\r\nY\r\nZ\r\nNOOP\r\n");
        Assert.StartsWith("-ERR", await client.ReadLineAsync());
        Assert.StartsWith("-ERR", await client.ReadLineAsync());
        Assert.StartsWith("-ERR", await client.ReadLineAsync());
        Assert.StartsWith("-ERR too many errors", await client.ReadLineAsync());
        Assert.True(await client.IsClosedAsync());
    }

    [Fact]
    public async Task A_client_that_disconnects_mid_retr_deletes_nothing()
    {
        var big = "Subject: big\n\n" + string.Concat(Enumerable.Repeat(new string('x', 999) + "\n", 20_000));
        await using var server = await TestServer.StartAsync([big, "Subject: small\n\nS\n"]);
        var client = await server.LoginAsync();
        await client.SendAsync("DELE 2\r\nRETR 1\r\n");
        Assert.StartsWith("+OK", await client.ReadLineAsync());
        Assert.StartsWith("+OK", await client.ReadLineAsync());
        await client.ReadLineAsync();
        client.Abort();
        await SessionBasicsTests.WaitUntilAsync(() => server.Server.ActiveSessions == 0);
        Assert.Equal(2, server.MessageFileCount());
        await using var again = await server.LoginAsync();
        Assert.StartsWith("+OK 2 ", await again.CommandAsync("STAT"));
    }

    [Fact]
    public async Task An_idle_session_is_logged_out_without_deleting()
    {
        await using var server = await TestServer.StartAsync(Messages, o => o with { IdleTimeout = TimeSpan.FromMilliseconds(300) });
        await using var client = await server.LoginAsync();
        Assert.StartsWith("+OK", await client.CommandAsync("DELE 1"));
        Assert.StartsWith("-ERR", await client.ReadLineAsync());
        Assert.True(await client.IsClosedAsync());
        Assert.Equal(2, server.MessageFileCount());
    }

    [Fact]
    public async Task Connections_over_the_per_address_limit_are_refused_with_sys_temp()
    {
        await using var server = await TestServer.StartAsync(Messages, o => o with { MaxConnectionsPerAddress = 2 });
        await using var a = await server.ConnectAsync();
        await using var b = await server.ConnectAsync();
        await using var c = await RawPop3Client.ConnectAsync(server.Port);
        Assert.StartsWith("-ERR [SYS/TEMP]", await c.ReadLineAsync());
        Assert.True(await c.IsClosedAsync());
        Assert.StartsWith("+OK", await a.CommandAsync("CAPA"));
    }

    [Fact]
    public async Task Many_half_open_connections_do_not_block_a_real_client()
    {
        await using var server = await TestServer.StartAsync(Messages, o => o with { MaxConnectionsPerAddress = 200 });
        var idle = new List<TcpClient>();
        try
        {
            for (var i = 0; i < 100; i++)
            {
                var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, server.Port);
                idle.Add(tcp);
            }

            await using var client = await server.LoginAsync();
            Assert.StartsWith("+OK 2 ", await client.CommandAsync("STAT"));
        }
        finally
        {
            idle.ForEach(t => t.Dispose());
        }
    }

    [Fact]
    public async Task A_utf8_user_name_and_password_log_in_after_utf8()
    {
        await using var server = await TestServer.StartAsync(Messages);
        await using var client = await server.ConnectAsync();
        Assert.StartsWith("+OK", await client.CommandAsync("CAPA"));
        Assert.Contains("UTF8 USER", Encoding.UTF8.GetString(await client.ReadMultiLineAsync()), StringComparison.Ordinal);
        Assert.StartsWith("+OK", await client.CommandAsync("UTF8"));
        Assert.StartsWith("+OK", await client.CommandAsync($"USER {TestServer.Utf8User}"));
        Assert.StartsWith("-ERR [AUTH]", await client.CommandAsync("PASS passwort"));
        Assert.StartsWith("+OK", await client.CommandAsync($"USER {TestServer.Utf8User}"));
        Assert.StartsWith("+OK", await client.CommandAsync($"PASS {TestServer.Utf8Password}"));
        Assert.Equal("+OK 0 0", await client.CommandAsync("STAT"));
    }
}
