using System.Text;
using PopGate.Client;

namespace PopGate.Tests.Client;

/// <summary>
/// Malformed replies from the MailKit corpus and hand-made ones: each gives <see cref="Pop3ProtocolException"/>,
/// and the connection is then unusable, so later and pending commands fail too.
/// </summary>
public sealed class MalformedReplyTests
{
    public static TheoryData<string, string, bool> ErrorFiles() => new()
    {
        { "STAT", "comcast/stat-error1.txt", true },
        { "STAT", "comcast/stat-error2.txt", true },
        { "STAT", "comcast/stat-error3.txt", true },
        { "LIST", "comcast/list-error1.txt", true },
        { "LIST", "comcast/list-error3.txt", true },
        { "LIST 1", "comcast/list1-error1.txt", true },
        { "LIST 1", "comcast/list1-error2.txt", true },
        { "LIST 1", "comcast/list1-error3.txt", true },
        { "UIDL", "gmail/uidl-error1.txt", true },
        { "UIDL 1", "gmail/uidl1-error1.txt", true },
        { "UIDL 1", "gmail/uidl1-error2.txt", true },
        { "STAT", "comcast/stat-error1.txt", false },
        { "LIST", "comcast/list-error3.txt", false },
        { "UIDL 1", "gmail/uidl1-error2.txt", false },
    };

    [Theory]
    [MemberData(nameof(ErrorFiles))]
    public async Task Corpus_errors_are_protocol_errors_and_fault_the_connection(string command, string file, bool crlf)
    {
        var r = new MailKitReplies(crlf);
        await using var replay = await Replay.StartAsync(r.Bytes("gmail/greeting.txt"), [r.Step(command, file), ScriptStep.Text("NOOP", "+OK\r\n")]);
        var client = replay.Client;
        Task attempt = command switch
        {
            "STAT" => client.StatAsync(),
            "LIST" => client.ListAsync(),
            "LIST 1" => client.ListAsync(1),
            "UIDL" => client.UidlAsync(),
            _ => client.UidlAsync(1),
        };
        await Assert.ThrowsAsync<Pop3ProtocolException>(() => attempt);
        Assert.False(client.IsConnected);
        await Assert.ThrowsAsync<Pop3ConnectionException>(() => client.NoopAsync());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_gap_in_a_listing_is_legal_because_deleted_messages_are_not_listed(bool crlf)
    {
        var r = new MailKitReplies(crlf);
        await using var replay = await Replay.StartAsync(r.Bytes("gmail/greeting.txt"),
            [r.Step("LIST", "comcast/list-error2.txt"), r.Step("UIDL", "gmail/uidl-error2.txt")]);
        var list = await replay.Client.ListAsync();
        Assert.Equal([1, 2, 3, 4, 5, 6, 8], list.Select(e => e.Number));
        var uids = await replay.Client.UidlAsync();
        Assert.Equal([(1, "101"), (2, "102"), (4, "103")], uids.Select(u => (u.Number, u.Uid)));
    }

    public static TheoryData<string, string> HandMade() => new()
    {
        { "NOOP", "OK fine\r\n" },
        { "NOOP", "+OKAY\r\n" },
        { "NOOP", "* OK imap?\r\n" },
        { "NOOP", "+ \r\n" },
        { "NOOP", "+OK " + new string('x', 600) + "\r\n" },
        { "LIST", "+OK\r\n1 100\r\n1 100\r\n.\r\n" },
        { "LIST", "+OK\r\n2 100\r\n1 100\r\n.\r\n" },
        { "LIST", "+OK\r\n1 -5\r\n.\r\n" },
        { "LIST", "+OK\r\n0 5\r\n.\r\n" },
        { "UIDL", "+OK\r\n1 has space\u0001\r\n.\r\n" },
        { "UIDL", "+OK\r\n1 \r\n.\r\n" },
        { "STAT", "+OK 99999999999 5\r\n" },
    };

    [Theory]
    [MemberData(nameof(HandMade))]
    public async Task Hand_made_violations_are_protocol_errors(string command, string reply)
    {
        await using var replay = await Replay.StartAsync("+OK hi\r\n"u8.ToArray(), [ScriptStep.Text(command, reply)]);
        var client = replay.Client;
        Task attempt = command switch
        {
            "NOOP" => client.NoopAsync(),
            "LIST" => client.ListAsync(),
            "UIDL" => client.UidlAsync(),
            _ => client.StatAsync(),
        };
        await Assert.ThrowsAsync<Pop3ProtocolException>(() => attempt);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task A_listing_longer_than_its_limit_is_refused()
    {
        var listing = new StringBuilder("+OK\r\n");
        for (var i = 1; i <= 11; i++)
        {
            listing.Append(i).Append(" 10\r\n");
        }

        listing.Append(".\r\n");
        await using var replay = await Replay.StartAsync("+OK\r\n"u8.ToArray(), [ScriptStep.Text("LIST", listing.ToString())],
            options: new Pop3ClientOptions { MaxListingLines = 10 });
        await Assert.ThrowsAsync<Pop3ProtocolException>(() => replay.Client.ListAsync());
    }

    [Fact]
    public async Task Replies_arriving_together_are_matched_to_commands_in_order_and_a_lost_connection_fails_the_rest()
    {
        await using var replay = await Replay.StartAsync("+OK\r\n"u8.ToArray(),
        [
            ScriptStep.Text("CAPA", "+OK\r\nPIPELINING\r\n.\r\n"),
            ScriptStep.Text("NOOP", string.Empty),
            ScriptStep.Text("STAT", string.Empty),
            ScriptStep.Text("DELE 1", "+OK\r\n+OK 1 2\r\n+OK\r\n"),
        ]);
        var client = replay.Client;
        await client.CapaAsync();
        var noop = client.NoopAsync();
        var stat = client.StatAsync();
        var dele = client.DeleAsync(1);
        var after = client.RsetAsync();
        await noop;
        Assert.Equal(new Pop3Stat(1, 2), await stat);
        await dele;
        // The script has no RSET: the server closes, and the pending RSET fails with the connection.
        await Assert.ThrowsAsync<Pop3ConnectionException>(() => after);
    }

    [Fact]
    public async Task A_desynchronised_reply_fails_that_command_and_all_behind_it()
    {
        await using var replay = await Replay.StartAsync("+OK\r\n"u8.ToArray(),
        [
            ScriptStep.Text("CAPA", "+OK\r\nPIPELINING\r\n.\r\n"),
            ScriptStep.Text("NOOP", string.Empty),
            ScriptStep.Text("RETR 1", string.Empty),
            ScriptStep.Text("DELE 1", "+OK\r\nthis is not a reply\r\n+OK\r\n"),
        ]);
        var client = replay.Client;
        await client.CapaAsync();
        var noop = client.NoopAsync();
        var retr = client.RetrAsync(1, Stream.Null);
        var dele = client.DeleAsync(1);
        await noop;
        await Assert.ThrowsAsync<Pop3ProtocolException>(() => retr);
        var later = await Assert.ThrowsAsync<Pop3ProtocolException>(() => dele);
        Assert.Contains("this is not a reply", later.Message, StringComparison.Ordinal);
    }
}
