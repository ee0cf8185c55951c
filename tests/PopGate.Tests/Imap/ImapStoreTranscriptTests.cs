using System.Text;
using PopGate.Imap;
using PopGate.Protocol;
using PopGate.Stores;
using PopGate.Stores.Imap;
using PopGate.Testing;
using static PopGate.Tests.Imap.ScriptedStore;

namespace PopGate.Tests.Imap;

/// <summary>The IMAP store against scripted servers: logging in and listing, and what real servers do not show on demand.</summary>
public sealed class ImapStoreTranscriptTests
{
    [Fact]
    public async Task Lists_by_uid_hides_deleted_messages_and_ignores_unsolicited_data()
    {
        await using var server = ScriptedImapServer.Start(async c =>
        {
            await OpenAsync(
                c,
                "UIDPLUS",
                "* 2 FETCH (UID 9 RFC822.SIZE 20 FLAGS ())",
                "* 3 RECENT",
                "* 1 FETCH (UID 4 RFC822.SIZE 10 FLAGS (\\Seen))",
                "* 1 FETCH (FLAGS (\\Seen \\Flagged))",
                "* 3 FETCH (UID 12 RFC822.SIZE 30 FLAGS (\\Deleted))");
            await c.ExpectAsync("A5 LOGOUT");
            await c.SendAsync("* BYE bye\r\nA5 OK out\r\n");
        });
        await using (var maildrop = await new ImapStore(Options(server.Port)).OpenAsync(Request, CancellationToken.None))
        {
            Assert.Equal([new MessageEntry("500.4", 10), new MessageEntry("500.9", 20)], maildrop.Messages);
        }

        await server.CompletedAsync();
    }

    [Fact]
    public async Task Adds_the_final_crlf_to_the_size_of_a_message_that_lacks_it()
    {
        await using var server = ScriptedImapServer.Start(async c =>
        {
            await OpenAsync(c, "UIDPLUS", "* 1 FETCH (UID 4 RFC822.SIZE 10 FLAGS ())", "* 2 FETCH (UID 5 RFC822.SIZE 1 FLAGS ())", "* 3 FETCH (UID 6 RFC822.SIZE 12 FLAGS ())");
            // One FETCH for messages of about the same size: from 2 octets before the end of the smallest to the end
            // of the largest; the server cuts each answer at its message's end, so each ends with its last octets.
            await c.ExpectAsync("A5 UID FETCH 4:6 (BODY.PEEK[]<0.12>)");
            await c.SendAsync(
                "* 1 FETCH (UID 4 BODY[]<0> {10}\r\nSubject:ab)\r\n"
                + "* 2 FETCH (UID 5 BODY[]<0> \"x\")\r\n"
                + "* 3 FETCH (UID 6 BODY[]<0> {12}\r\nSubject: x\r\n)\r\nA5 OK f\r\n");
            await c.ExpectAsync("A6 LOGOUT");
            await c.SendAsync("A6 OK out\r\n");
        });
        await using (var maildrop = await new ImapStore(Options(server.Port) with { CheckFinalNewline = true }).OpenAsync(Request, CancellationToken.None))
        {
            Assert.Equal([12L, 3L, 12L], maildrop.Messages.Select(m => m.Size));
        }

        await server.CompletedAsync();
    }

    [Fact]
    public async Task Nothing_listening_is_sys_temp()
    {
        var store = new ImapStore(Options(FreePort.Next()));
        var e = await Assert.ThrowsAsync<MaildropException>(async () => await store.OpenAsync(Request, CancellationToken.None));
        Assert.Equal(ResponseCodes.SysTemp, e.Code);
    }

    [Fact]
    public async Task A_server_that_never_greets_times_out_as_sys_temp()
    {
        await using var server = ScriptedImapServer.Start(_ => Task.Delay(3000));
        var started = DateTime.UtcNow;
        var store = new ImapStore(Options(server.Port) with { Timeout = TimeSpan.FromMilliseconds(300) });
        var e = await Assert.ThrowsAsync<MaildropException>(async () => await store.OpenAsync(Request, CancellationToken.None));
        Assert.Equal(ResponseCodes.SysTemp, e.Code);
        Assert.Contains("timed out", e.Message, StringComparison.Ordinal);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(2));
    }

    [Theory]
    [InlineData("NO [AUTHENTICATIONFAILED] bad", ResponseCodes.Auth)]
    [InlineData("NO [UNAVAILABLE] backend down", ResponseCodes.SysTemp)]
    public async Task A_refused_login_is_auth_unless_the_server_is_unavailable(string answer, string code)
    {
        await using var server = ScriptedImapServer.Start(async c =>
        {
            await c.SendAsync("* OK [CAPABILITY IMAP4rev1] ready\r\n");
            await c.ExpectAsync("A1 LOGIN u p");
            await c.ExpectAsync("A2 CAPABILITY");
            await c.ExpectAsync("A3 SELECT INBOX");
            await c.ExpectAsync("A4 UID FETCH 1:* (UID RFC822.SIZE FLAGS)");
            await c.SendAsync($"A1 {answer}\r\nA2 BAD not now\r\nA3 BAD not now\r\nA4 BAD not now\r\n");
        });
        var e = await Assert.ThrowsAsync<MaildropException>(async () => await new ImapStore(Options(server.Port)).OpenAsync(Request, CancellationToken.None));
        Assert.Equal(code, e.Code);
    }

    [Fact]
    public async Task Pass_through_without_a_clear_password_is_auth()
    {
        var store = new ImapStore(Options(FreePort.Next()) with { User = null, Password = null });
        var e = await Assert.ThrowsAsync<MaildropException>(async () => await store.OpenAsync(new MaildropRequest("apop-user"), CancellationToken.None));
        Assert.Equal(ResponseCodes.Auth, e.Code);
    }

    [Theory]
    [InlineData("AUTH=XOAUTH2", "XOAUTH2")]
    [InlineData("AUTH=XOAUTH2 AUTH=OAUTHBEARER", "OAUTHBEARER")]
    public async Task A_token_provider_logs_in_with_oauthbearer_when_offered_else_xoauth2(string capabilities, string mechanism)
    {
        await using var server = ScriptedImapServer.Start(async c =>
        {
            await c.SendAsync($"* OK [CAPABILITY IMAP4rev1 SASL-IR {capabilities}] ready\r\n");
            var line = await c.ReadLineAsync();
            Assert.StartsWith($"A1 AUTHENTICATE {mechanism} ", line, StringComparison.Ordinal);
            var payload = Encoding.UTF8.GetString(Convert.FromBase64String(line.Split(' ')[3]));
            Assert.Contains("auth=Bearer token-1\u0001", payload, StringComparison.Ordinal);
            Assert.Contains("pop@example.com", payload, StringComparison.Ordinal);
            await c.SendAsync("A1 NO [AUTHENTICATIONFAILED] expired\r\n");
        });
        var calls = 0;
        var options = Options(server.Port) with
        {
            User = null,
            Password = null,
            TokenProvider = _ => ValueTask.FromResult("token-" + ++calls),
        };
        var e = await Assert.ThrowsAsync<MaildropException>(async () => await new ImapStore(options).OpenAsync(new MaildropRequest("pop@example.com"), CancellationToken.None));
        Assert.Equal(ResponseCodes.Auth, e.Code);
        Assert.Equal(1, calls);
        await server.CompletedAsync();
    }

    [Fact]
    public async Task A_failing_token_provider_is_sys_temp_and_never_connects()
    {
        var options = Options(FreePort.Next()) with { TokenProvider = _ => throw new InvalidOperationException("refresh failed") };
        var e = await Assert.ThrowsAsync<MaildropException>(async () => await new ImapStore(options).OpenAsync(Request, CancellationToken.None));
        Assert.Equal(ResponseCodes.SysTemp, e.Code);
        Assert.Contains("refresh failed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_mailbox_whose_server_refuses_one_to_star_is_empty()
    {
        await using var server = ScriptedImapServer.Start(async c =>
        {
            await c.SendAsync("* OK [CAPABILITY IMAP4rev1] ready\r\n");
            for (var i = 0; i < 4; i++)
            {
                await c.ReadLineAsync();
            }

            await c.SendAsync("A1 OK in\r\nA2 OK c\r\n* 0 EXISTS\r\n* OK [UIDVALIDITY 3] v\r\nA3 OK s\r\nA4 BAD Invalid messageset\r\n");
            await c.ExpectAsync("A5 LOGOUT");
            await c.SendAsync("A5 OK out\r\n");
        });
        await using (var maildrop = await new ImapStore(Options(server.Port)).OpenAsync(Request, CancellationToken.None))
        {
            Assert.Empty(maildrop.Messages);
        }

        await server.CompletedAsync();
    }

    [Fact]
    public async Task A_folder_rebuilt_during_the_session_is_refused_when_selected_again()
    {
        await using var server = ScriptedImapServer.Start(async c =>
        {
            await c.SendAsync("* OK [CAPABILITY IMAP4rev1 UIDPLUS] ready\r\n");
            for (var i = 0; i < 6; i++)
            {
                await c.ReadLineAsync();
            }

            await c.SendAsync(
                "A1 OK in\r\nA2 OK c\r\n"
                + "* 1 EXISTS\r\n* OK [UIDVALIDITY 3] v\r\nA3 OK s\r\n* 1 FETCH (UID 1 RFC822.SIZE 5 FLAGS ())\r\nA4 OK f\r\n"
                + "* 1 EXISTS\r\n* OK [UIDVALIDITY 4] v\r\nA5 OK s\r\n* 1 FETCH (UID 1 RFC822.SIZE 6 FLAGS ())\r\nA6 OK f\r\n");
            await c.ExpectAsync("A7 SELECT a");
            await c.SendAsync("* 1 EXISTS\r\n* OK [UIDVALIDITY 9] rebuilt\r\nA7 OK s\r\n");
            await c.ExpectAsync("A8 LOGOUT");
            await c.SendAsync("A8 OK out\r\n");
        });
        await using (var maildrop = await new ImapStore(Options(server.Port) with { Folders = ["a", "b"] }).OpenAsync(Request, CancellationToken.None))
        {
            Assert.Equal(["a.3.1", "b.4.1"], maildrop.Messages.Select(m => m.Uid));
            var e = await Assert.ThrowsAsync<MaildropException>(async () => await maildrop.WriteMessageAsync(0, new CollectingSink(), null, CancellationToken.None));
            Assert.Equal(ResponseCodes.SysTemp, e.Code);
        }

        await server.CompletedAsync();
    }
}
