using System.Buffers;
using System.IO.Pipelines;
using PopGate.Client;
using PopGate.Sasl;

namespace PopGate.Tests.Client;

/// <summary>
/// Whole sessions replayed from the replies of real servers (Gmail, Comcast, a LANG/UTF8 server) recorded in
/// MailKit's test suite: CRLF as sent and bare LF, read whole, a few bytes or one byte at a time.
/// </summary>
public sealed class MailKitSessionReplayTests
{
    public static TheoryData<bool, int> Modes() => Replay.Modes();

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Gmail_session_with_sasl_plain_pipelined_retrieval_top_and_dele(bool crlf, int maxRead)
    {
        var r = new MailKitReplies(crlf);
        ScriptStep Empty(string command) => new(command, []);
        var steps = new List<ScriptStep>
        {
            r.Step("CAPA", "gmail/capa1.txt"),
            r.Step("AUTH PLAIN AHVzZXJuYW1lAHBhc3N3b3Jk", "gmail/auth.txt"),
            r.Step("CAPA", "gmail/capa2.txt"),
            r.Step("STAT", "gmail/stat.txt"),
            r.Step("LIST", "gmail/list.txt"),
            r.Step("LIST 1", "gmail/list1.txt"),
            r.Step("LIST 2", "gmail/list2.txt"),
            r.Step("LIST 3", "gmail/list3.txt"),
            r.Step("UIDL", "gmail/uidl.txt"),
            r.Step("UIDL 1", "gmail/uidl1.txt"),
            r.Step("UIDL 2", "gmail/uidl2.txt"),
            r.Step("UIDL 3", "gmail/uidl3.txt"),
            r.Step("RETR 1", "gmail/retr1.txt"),
            // The three replies come back as one block only after all three commands arrived: a client that
            // waited for each reply before sending the next command would hang here.
            Empty("RETR 1"), Empty("RETR 2"), r.Step("RETR 3", "gmail/retr123.txt"),
            r.Step("TOP 1 0", "gmail/top.txt"),
            Empty("TOP 1 0"), Empty("TOP 2 0"), r.Step("TOP 3 0", "gmail/top123.txt"),
            r.Step("DELE 1", "gmail/dele.txt"),
            Empty("DELE 1"), Empty("DELE 2"), r.Step("DELE 3", "gmail/dele123.txt"),
            r.Step("NOOP", "gmail/noop.txt"),
            r.Step("RSET", "gmail/rset.txt"),
            r.Step("QUIT", "gmail/quit.txt"),
        };
        await using var replay = await Replay.StartAsync(r.Bytes("gmail/greeting.txt"), steps, maxRead);
        var client = replay.Client;
        Assert.Equal("Gpop ready for requests from 24.91.170.86 hv19mb95710270qab", client.Greeting!.Text);
        Assert.Null(client.Greeting.ApopTimestamp);

        var before = await client.CapaAsync();
        Assert.Equal(["PLAIN", "XOAUTH2"], before.SaslMechanisms);
        Assert.Equal(TimeSpan.FromSeconds(300), before.LoginDelay);
        Assert.False(client.IsPipelining);

        await client.AuthenticateAsync(new SaslPlainClient("username", "password"));
        Assert.True(client.IsAuthenticated);
        var after = await client.CapaAsync();
        Assert.True(after.Pipelining);
        Assert.True(client.IsPipelining);

        Assert.Equal(new Pop3Stat(3, 221409), await client.StatAsync());
        Assert.Equal([new(1, 1024), new(2, 1025), new(3, 1026)], await client.ListAsync());
        var singles = await Task.WhenAll(client.ListAsync(1), client.ListAsync(2), client.ListAsync(3));
        Assert.Equal([new(1, 1024), new(2, 1025), new(3, 1026)], singles);
        Assert.Equal([new(1, "101"), new(2, "102"), new(3, "103")], await client.UidlAsync());
        var uids = await Task.WhenAll(client.UidlAsync(1), client.UidlAsync(2), client.UidlAsync(3));
        Assert.Equal(["101", "102", "103"], uids.Select(u => u.Uid));

        var one = new MemoryStream();
        var octets = await client.RetrAsync(1, one);
        Assert.Equal(r.Bodies("gmail/retr1.txt"), one.ToArray());
        Assert.Equal(one.Length, octets);

        var order = new List<int>();
        var three = Enumerable.Range(1, 3).Select(n => client.RetrAsync(n, async (body, ct) =>
        {
            order.Add(n);
            var copy = new MemoryStream();
            await body.CopyToAsync(copy, ct);
            return copy.ToArray();
        })).ToList();
        var bodies = await Task.WhenAll(three);
        Assert.Equal([1, 2, 3], order);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(r.Bodies("gmail/retr123.txt", i), bodies[i]);
        }

        var header = new ArrayBufferWriter<byte>();
        await client.TopAsync(1, 0, header);
        Assert.Equal(r.Bodies("gmail/top.txt"), header.WrittenSpan.ToArray());
        var pipes = Enumerable.Range(0, 3).Select(_ => new Pipe()).ToList();
        var tops = Enumerable.Range(1, 3).Select(n => client.TopAsync(n, 0, pipes[n - 1].Writer)).ToList();
        await Task.WhenAll(tops);
        for (var i = 0; i < 3; i++)
        {
            await pipes[i].Writer.CompleteAsync();
            var copy = new MemoryStream();
            await pipes[i].Reader.CopyToAsync(copy);
            Assert.Equal(r.Bodies("gmail/top123.txt", i), copy.ToArray());
        }

        await client.DeleAsync(1);
        await Task.WhenAll(client.DeleAsync(1), client.DeleAsync(2), client.DeleAsync(3));
        await client.NoopAsync();
        await client.RsetAsync();
        await client.QuitAsync();
        Assert.False(client.IsConnected);
        await replay.FinishAsync();
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Comcast_session_with_user_pass_in_lock_step(bool crlf, int maxRead)
    {
        var r = new MailKitReplies(crlf);
        var steps = new[]
        {
            r.Step("CAPA", "comcast/capa1.txt"),
            r.Step("USER username", "comcast/ok.txt"),
            r.Step("PASS password", "comcast/ok.txt"),
            r.Step("CAPA", "comcast/capa2.txt"),
            r.Step("STAT", "comcast/stat.txt"),
            r.Step("LIST", "comcast/list.txt"),
            r.Step("LIST 1", "comcast/list1.txt"),
            r.Step("RETR 1", "comcast/retr1.txt"),
            r.Step("QUIT", "comcast/quit.txt"),
        };
        await using var replay = await Replay.StartAsync(r.Bytes("comcast/greeting.txt"), steps, maxRead);
        var client = replay.Client;
        var capabilities = await client.CapaAsync();
        Assert.True(capabilities.Stls);
        Assert.Equal("31 USER", capabilities.Expire);
        await client.LoginAsync("username", "password");
        var after = await client.CapaAsync();
        Assert.Equal("ZimbraInc", after.Implementation);
        Assert.Equal(["PLAIN", "X-ZIMBRA"], after.SaslMechanisms);
        Assert.False(client.IsPipelining);
        Assert.Equal(new Pop3Stat(7, 1800662), await client.StatAsync());
        var list = await client.ListAsync();
        Assert.Equal(Enumerable.Range(1, 7).Select(n => new Pop3ListEntry(n, n * 1024L)), list);
        Assert.Equal(new Pop3ListEntry(1, 1024), await client.ListAsync(1));
        var message = new MemoryStream();
        await client.RetrAsync(1, message);
        Assert.Equal(r.Bodies("comcast/retr1.txt"), message.ToArray());
        await client.QuitAsync();
        await replay.FinishAsync();
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Lang_session_with_utf8_and_apop(bool crlf, int maxRead)
    {
        var r = new MailKitReplies(crlf);
        var steps = new[]
        {
            r.Step("CAPA", "lang/capa1.txt"),
            r.Step("UTF8", "lang/utf8.txt"),
            // The digest MailKit's test expects for this greeting's timestamp and the password "password".
            r.Step("APOP username d99894e8445daf54c4ce781ef21331b7", "lang/auth.txt"),
            r.Step("CAPA", "lang/capa2.txt"),
            r.Step("STAT", "lang/stat.txt"),
            r.Step("QUIT", "lang/quit.txt"),
        };
        await using var replay = await Replay.StartAsync(r.Bytes("lang/greeting.txt"), steps, maxRead);
        var client = replay.Client;
        Assert.Equal("<apop-token@example.com>", client.Greeting!.ApopTimestamp);
        var capabilities = await client.CapaAsync();
        Assert.True(capabilities.Utf8);
        Assert.Equal("USER", capabilities.Arguments("UTF8"));
        await client.Utf8Async();
        await client.ApopAsync("username", "password");
        await client.CapaAsync();
        Assert.True(client.IsPipelining);
        Assert.Equal(new Pop3Stat(3, 221409), await client.StatAsync());
        await client.QuitAsync();
        await replay.FinishAsync();
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task A_bare_ok_greeting_is_accepted_and_an_err_greeting_refused(bool crlf, int maxRead)
    {
        var r = new MailKitReplies(crlf);
        await using (var replay = await Replay.StartAsync(r.Bytes("common/ok-greeting.txt"), [], maxRead))
        {
            Assert.Equal(string.Empty, replay.Client.Greeting!.Text);
        }

        var refused = await Assert.ThrowsAsync<Pop3CommandException>(() => Replay.StartAsync(r.Bytes("common/err-greeting.txt"), [], maxRead));
        Assert.Null(refused.ResponseCode);
    }
}
