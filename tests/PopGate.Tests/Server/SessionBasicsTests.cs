using System.Text;

namespace PopGate.Tests.Server;

/// <summary>RFC 1939 commands against a real Maildir over a real socket.</summary>
public sealed class SessionBasicsTests
{
    private static readonly string[] Messages =
    [
        "Subject: one\n\nfirst body\n",
        "Subject: two\n\n.starts with a dot\n.\n..two dots\nend\n",
        "Subject: three\r\n\r\nline1\r\nline2\r\nline3\r\nline4\r\n",
    ];

    [Fact]
    public async Task Greeting_carries_an_apop_timestamp()
    {
        await using var server = await TestServer.StartAsync(Messages);
        await using var client = await Raw(server);
        var greeting = await client.ReadLineAsync();
        Assert.Matches(@"^\+OK .*<[^<>@]+@test\.example>$", greeting);
    }

    [Fact]
    public async Task Stat_list_and_uidl_describe_the_maildrop()
    {
        await using var server = await TestServer.StartAsync(Messages);
        await using var client = await server.LoginAsync();
        var sizes = Messages.Select(m => PopGate.Testing.TestCorpus.ToWire(Encoding.UTF8.GetBytes(m)).Length).ToArray();

        Assert.Equal($"+OK 3 {sizes.Sum()}", await client.CommandAsync("STAT"));
        Assert.StartsWith("+OK", await client.CommandAsync("LIST"));
        var list = Encoding.ASCII.GetString(await client.ReadMultiLineAsync());
        Assert.Equal($"1 {sizes[0]}\r\n2 {sizes[1]}\r\n3 {sizes[2]}\r\n", list);
        Assert.Equal($"+OK 2 {sizes[1]}", await client.CommandAsync("LIST 2"));
        Assert.StartsWith("+OK", await client.CommandAsync("UIDL"));
        var uidl = Encoding.ASCII.GetString(await client.ReadMultiLineAsync());
        Assert.Equal("1 1700000000.M0P1.test\r\n2 1700000001.M1P1.test\r\n3 1700000002.M2P1.test\r\n", uidl);
        Assert.Equal("+OK 3 1700000002.M2P1.test", await client.CommandAsync("UIDL 3"));
    }

    [Fact]
    public async Task Retr_sends_the_message_dot_stuffed_with_crlf()
    {
        await using var server = await TestServer.StartAsync(Messages);
        await using var client = await server.LoginAsync();
        var expected = PopGate.Testing.TestCorpus.ToWire(Encoding.UTF8.GetBytes(Messages[1]));
        Assert.Equal($"+OK {expected.Length} octets", await client.CommandAsync("RETR 2"));
        Assert.Equal(expected, await client.ReadMultiLineAsync());
    }

    [Fact]
    public async Task Top_sends_the_header_and_the_asked_body_lines()
    {
        await using var server = await TestServer.StartAsync(Messages);
        await using var client = await server.LoginAsync();
        Assert.StartsWith("+OK", await client.CommandAsync("TOP 3 2"));
        Assert.Equal("Subject: three\r\n\r\nline1\r\nline2\r\n", Encoding.ASCII.GetString(await client.ReadMultiLineAsync()));
        Assert.StartsWith("+OK", await client.CommandAsync("TOP 3 0"));
        Assert.Equal("Subject: three\r\n\r\n", Encoding.ASCII.GetString(await client.ReadMultiLineAsync()));
        Assert.StartsWith("+OK", await client.CommandAsync("TOP 3 100"));
        Assert.Equal("Subject: three\r\n\r\nline1\r\nline2\r\nline3\r\nline4\r\n", Encoding.ASCII.GetString(await client.ReadMultiLineAsync()));
    }

    [Fact]
    public async Task Deleted_messages_are_hidden_and_restored_by_rset()
    {
        await using var server = await TestServer.StartAsync(Messages);
        await using var client = await server.LoginAsync();
        Assert.StartsWith("+OK", await client.CommandAsync("DELE 2"));
        Assert.StartsWith("-ERR", await client.CommandAsync("RETR 2"));
        Assert.StartsWith("-ERR", await client.CommandAsync("DELE 2"));
        Assert.StartsWith("-ERR", await client.CommandAsync("LIST 2"));
        Assert.StartsWith("+OK 2 ", await client.CommandAsync("STAT"));
        Assert.StartsWith("+OK", await client.CommandAsync("UIDL"));
        Assert.DoesNotContain("M1P1", Encoding.ASCII.GetString(await client.ReadMultiLineAsync()));
        Assert.StartsWith("+OK", await client.CommandAsync("RSET"));
        Assert.StartsWith("+OK 3 ", await client.CommandAsync("STAT"));
    }

    [Fact]
    public async Task Quit_removes_deleted_messages_and_a_dropped_connection_removes_none()
    {
        await using var server = await TestServer.StartAsync(Messages);
        var dropped = await server.LoginAsync();
        Assert.StartsWith("+OK", await dropped.CommandAsync("DELE 1"));
        Assert.StartsWith("+OK", await dropped.CommandAsync("DELE 2"));
        dropped.Abort();
        await WaitUntilAsync(() => server.Server.ActiveSessions == 0);
        Assert.Equal(3, server.MessageFileCount());

        await using var client = await server.LoginAsync();
        Assert.StartsWith("+OK", await client.CommandAsync("DELE 1"));
        Assert.StartsWith("+OK", await client.CommandAsync("QUIT"));
        Assert.True(await client.IsClosedAsync());
        Assert.Equal(2, server.MessageFileCount());
    }

    [Fact]
    public async Task A_second_session_on_the_same_maildrop_gets_in_use()
    {
        await using var server = await TestServer.StartAsync(Messages);
        await using var first = await server.LoginAsync();
        await using var second = await server.ConnectAsync();
        Assert.StartsWith("+OK", await second.CommandAsync($"USER {TestServer.User}"));
        Assert.StartsWith("-ERR [IN-USE]", await second.CommandAsync($"PASS {TestServer.Password}"));
        Assert.StartsWith("+OK", await first.CommandAsync("QUIT"));
        Assert.True(await first.IsClosedAsync());
        Assert.StartsWith("+OK", await second.CommandAsync($"USER {TestServer.User}"));
        Assert.StartsWith("+OK", await second.CommandAsync($"PASS {TestServer.Password}"));
    }

    [Fact]
    public async Task Pipelined_commands_are_answered_in_order()
    {
        await using var server = await TestServer.StartAsync(Messages);
        await using var client = await server.ConnectAsync();
        await client.SendAsync($"USER {TestServer.User}\r\nPASS {TestServer.Password}\r\nSTAT\r\nRETR 1\r\nNOOP\r\nLIST 3\r\nBOGUS\r\nQUIT\r\n");
        Assert.StartsWith("+OK", await client.ReadLineAsync());
        Assert.StartsWith("+OK", await client.ReadLineAsync());
        Assert.StartsWith("+OK 3 ", await client.ReadLineAsync());
        Assert.StartsWith("+OK", await client.ReadLineAsync());
        Assert.Equal("Subject: one\r\n\r\nfirst body\r\n", Encoding.ASCII.GetString(await client.ReadMultiLineAsync()));
        Assert.Equal("+OK", await client.ReadLineAsync());
        Assert.StartsWith("+OK 3 ", await client.ReadLineAsync());
        Assert.StartsWith("-ERR", await client.ReadLineAsync());
        Assert.StartsWith("+OK", await client.ReadLineAsync());
        Assert.True(await client.IsClosedAsync());
    }

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(20);
        }
    }

    private static Task<PopGate.Testing.RawPop3Client> Raw(TestServer server) => PopGate.Testing.RawPop3Client.ConnectAsync(server.Port);
}
