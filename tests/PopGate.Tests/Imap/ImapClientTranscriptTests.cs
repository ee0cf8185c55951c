using PopGate.Imap;
using PopGate.Tests.Server;

namespace PopGate.Tests.Imap;

/// <summary>The client against scripted servers: the exact commands it sends, and when.</summary>
public sealed class ImapClientTranscriptTests
{
    [Fact]
    public async Task Takes_capabilities_from_the_greeting_and_from_the_login_reply()
    {
        await using var server = ScriptedImapServer.Start(async c =>
        {
            await c.SendAsync("* OK [CAPABILITY IMAP4rev1 LOGIN-REFERRALS AUTH=PLAIN] ready\r\n");
            await c.ExpectAsync("A1 LOGIN me secret");
            await c.SendAsync("A1 OK [CAPABILITY IMAP4rev1 UIDPLUS MOVE] logged in\r\n");
        });
        await using var client = await ImapClient.ConnectAsync(ImapTestOptions.Connection(server.Port), CancellationToken.None);
        Assert.True(client.Capabilities.HasAuth("plain"));
        Assert.False(client.Capabilities.UidPlus);
        await client.LoginAsync("me", "secret", ImapAuthMechanism.Auto, CancellationToken.None);
        Assert.True(client.Capabilities.UidPlus);
        Assert.True(client.IsAuthenticated);
        await server.CompletedAsync();
    }

    [Fact]
    public async Task Pipelines_login_select_and_listing_in_one_flight()
    {
        await using var server = ScriptedImapServer.Start(async c =>
        {
            await c.SendAsync("* OK [CAPABILITY IMAP4rev1] ready\r\n");
            // All four arrive before any answer: the client did not wait for LOGIN's reply.
            await c.ExpectAsync("A1 LOGIN me secret");
            await c.ExpectAsync("A2 CAPABILITY");
            await c.ExpectAsync("A3 SELECT INBOX");
            await c.ExpectAsync("A4 UID FETCH 1:* (UID RFC822.SIZE)");
            await c.SendAsync(
                "A1 OK in\r\n* CAPABILITY IMAP4rev1 UIDPLUS\r\nA2 OK caps\r\n"
                + "* 2 EXISTS\r\n* OK [UIDVALIDITY 77] v\r\n* OK [UIDNEXT 9] n\r\nA3 OK [READ-WRITE] sel\r\n"
                + "* 1 FETCH (UID 3 RFC822.SIZE 100)\r\n* 2 FETCH (RFC822.SIZE 50 UID 8)\r\nA4 OK done\r\n");
        });
        await using var client = await ImapClient.ConnectAsync(ImapTestOptions.Connection(server.Port), CancellationToken.None);
        var login = client.CreateLogin("me", "secret");
        var select = client.CreateSelect("INBOX", readOnly: false);
        var list = client.CreateFetch("1:*", "(UID RFC822.SIZE)");
        await client.RunAsync([login, client.CreateCapability(), select, list], CancellationToken.None);
        Assert.True(login.Succeeded);
        Assert.Equal(new ImapMailbox("INBOX", 77, 2, 9, false), select.Mailbox);
        Assert.Equal([(3u, 100L), (8u, 50L)], list.Results.Select(r => (r.Uid!.Value, r.Size!.Value)));
        Assert.True(client.Capabilities.UidPlus);
        await server.CompletedAsync();
    }

    [Fact]
    public async Task A_bye_then_close_makes_the_client_unusable_with_the_servers_reason()
    {
        await using var server = ScriptedImapServer.Start(async c =>
        {
            await c.SendAsync("* OK ready\r\n");
            await c.ExpectAsync("A1 NOOP");
            await c.SendAsync("* BYE shutting down for maintenance\r\n");
        });
        await using var client = await ImapClient.ConnectAsync(ImapTestOptions.Connection(server.Port), CancellationToken.None);
        var e = await Assert.ThrowsAsync<ImapProtocolException>(() => client.NoopAsync(CancellationToken.None));
        Assert.Contains("maintenance", e.Message, StringComparison.Ordinal);
        Assert.False(client.IsUsable);
        await Assert.ThrowsAsync<ImapProtocolException>(() => client.NoopAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_reply_with_a_tag_never_sent_is_a_desync()
    {
        await using var server = ScriptedImapServer.Start(async c =>
        {
            await c.SendAsync("* OK ready\r\n");
            await c.ExpectAsync("A1 NOOP");
            await c.SendAsync("A7 OK what\r\n");
            await Task.Delay(300);
        });
        await using var client = await ImapClient.ConnectAsync(ImapTestOptions.Connection(server.Port), CancellationToken.None);
        await Assert.ThrowsAsync<ImapProtocolException>(() => client.NoopAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Replies_may_complete_out_of_order()
    {
        await using var server = ScriptedImapServer.Start(async c =>
        {
            await c.SendAsync("* OK ready\r\n");
            await c.ExpectAsync("A1 UID FETCH 1 (UID)");
            await c.ExpectAsync("A2 UID FETCH 2 (UID)");
            await c.SendAsync("* 2 FETCH (UID 2)\r\nA2 OK two\r\n* 1 FETCH (UID 1)\r\nA1 OK one\r\n");
        });
        await using var client = await ImapClient.ConnectAsync(ImapTestOptions.Connection(server.Port), CancellationToken.None);
        var one = client.CreateFetch("1", "(UID)");
        var two = client.CreateFetch("2", "(UID)");
        await client.RunAsync([one, two], CancellationToken.None);
        Assert.Equal("one", one.Status!.Text);
        Assert.Equal("two", two.Status!.Text);
        Assert.Equal(2, one.Results.Count + two.Results.Count);
    }

    [Fact]
    public async Task Appends_with_literal_plus_in_one_flight_and_reads_each_verdict_and_appenduid()
    {
        await using var server = ScriptedImapServer.Start(async c =>
        {
            await c.SendAsync("* OK [CAPABILITY IMAP4rev1 LITERAL+ UIDPLUS] ready\r\n");
            await c.ExpectAsync("A1 APPEND INBOX {3+}");
            await c.ExpectAsync("a\rb");
            await c.ExpectAsync("A2 APPEND INBOX {1+}");
            await c.ExpectAsync("\0");
            await c.SendAsync("A1 OK [APPENDUID 5 12] ok\r\nA2 NO Message contains NUL characters\r\n");
        });
        await using var client = await ImapClient.ConnectAsync(ImapTestOptions.Connection(server.Port), CancellationToken.None);
        var results = await client.AppendAsync("INBOX", ["a\rb\r\n"u8.ToArray().AsMemory(0, 3), new byte[] { 0 }], null, false, CancellationToken.None);
        Assert.Equal(new AppendResult(true, 12, null), results[0]);
        Assert.False(results[1].Accepted);
        Assert.Contains("NUL", results[1].Error, StringComparison.Ordinal);
        await server.CompletedAsync();
    }

    [Fact]
    public async Task The_transcript_hides_secrets_and_message_contents()
    {
        await using var server = ScriptedImapServer.Start(async c =>
        {
            await c.SendAsync("* OK [CAPABILITY IMAP4rev1] ready\r\n");
            await c.ExpectAsync("A1 LOGIN me {7}");
            await c.SendAsync("+ go\r\n");
            await c.ExpectAsync("s\u00c3\u00abcret");
            await c.SendAsync("A1 OK in\r\n");
            await c.ExpectAsync("A2 UID FETCH 3 (BODY.PEEK[])");
            await c.SendAsync("* 1 FETCH (UID 3 BODY[] {11}\r\nhidden text)\r\nA2 OK f\r\n");
        });
        var lines = new List<string>();
        var options = ImapTestOptions.Connection(server.Port) with { Transcript = l => lines.Add(l) };
        await using var client = await ImapClient.ConnectAsync(options, CancellationToken.None);
        await client.RunAsync([client.CreateLogin("me", "sëcret", ImapAuthMechanism.Login), client.CreateFetch("3", "(BODY.PEEK[])", new MemorySink())], CancellationToken.None);
        var text = string.Join("\n", lines);
        Assert.Contains("C: A1 LOGIN <secret>", lines);
        Assert.Contains("S: * 1 FETCH (UID 3 BODY[] <11 octets streamed>)", lines);
        Assert.DoesNotContain("sëcret", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hidden", text, StringComparison.Ordinal);
        await server.CompletedAsync();
    }
}
