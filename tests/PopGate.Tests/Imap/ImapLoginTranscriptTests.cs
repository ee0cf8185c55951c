using System.Text;
using PopGate.Imap;
using PopGate.Tests.Server;

namespace PopGate.Tests.Imap;

/// <summary>Logging in against scripted servers: literals, LOGIN, and the SASL mechanisms.</summary>
public sealed class ImapLoginTranscriptTests
{
    [Fact]
    public async Task Sends_an_odd_password_as_a_literal_after_the_servers_go_ahead()
    {
        await using var server = ScriptedImapServer.Start(async c =>
        {
            await c.SendAsync("* OK [CAPABILITY IMAP4rev1] ready\r\n");
            await c.ExpectAsync("A1 LOGIN me {8}");
            Assert.True(await c.SilentAsync(TimeSpan.FromMilliseconds(300)), "the literal came before the go-ahead");
            await c.SendAsync("+ go ahead\r\n");
            Assert.Equal("p\u00c3\u00a4 ss\"w", await c.ReadLineAsync());
            await c.SendAsync("A1 OK in\r\n");
        });
        await using var client = await ImapClient.ConnectAsync(ImapTestOptions.Connection(server.Port), CancellationToken.None);
        await client.LoginAsync("me", "pä ss\"w", ImapAuthMechanism.Login, CancellationToken.None);
        await server.CompletedAsync();
    }

    [Fact]
    public async Task Quotes_what_a_quoted_string_can_carry_and_inlines_literals_with_literal_plus()
    {
        await using var server = ScriptedImapServer.Start(async c =>
        {
            await c.SendAsync("* OK [CAPABILITY IMAP4rev1 LITERAL+] ready\r\n");
            await c.ExpectAsync("A1 LOGIN \"my name\" {4+}");
            await c.ExpectAsync("\u00c3\u00a4\"x");
            await c.SendAsync("A1 OK in\r\n");
            await c.ExpectAsync("A2 SELECT \"a \\\"b\\\\\"");
            await c.SendAsync("* OK [UIDVALIDITY 1] v\r\nA2 OK sel\r\n");
        });
        await using var client = await ImapClient.ConnectAsync(ImapTestOptions.Connection(server.Port), CancellationToken.None);
        await client.LoginAsync("my name", "ä\"x", ImapAuthMechanism.Login, CancellationToken.None);
        await client.SelectAsync("a \"b\\", readOnly: false, CancellationToken.None);
        await server.CompletedAsync();
    }

    [Fact]
    public async Task Authenticate_plain_sends_the_initial_response_inline_with_sasl_ir_and_waits_for_its_reply()
    {
        await using var server = ScriptedImapServer.Start(async c =>
        {
            await c.SendAsync("* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] ready\r\n");
            await c.ExpectAsync("A1 AUTHENTICATE PLAIN " + ImapTestOptions.Base64("\0me\0secret"));
            // Nothing may follow AUTHENTICATE before its reply: servers may drop it (Cyrus does).
            Assert.True(await c.SilentAsync(TimeSpan.FromMilliseconds(300)), "a command followed AUTHENTICATE");
            await c.SendAsync("A1 OK in\r\n");
            await c.ExpectAsync("A2 CAPABILITY");
            await c.SendAsync("* CAPABILITY IMAP4rev1\r\nA2 OK c\r\n");
        });
        await using var client = await ImapClient.ConnectAsync(ImapTestOptions.Connection(server.Port), CancellationToken.None);
        await client.RunAsync([client.CreateLogin("me", "secret", ImapAuthMechanism.Plain), client.CreateCapability()], CancellationToken.None);
        Assert.True(client.IsAuthenticated);
        await server.CompletedAsync();
    }

    [Fact]
    public async Task Authenticate_plain_without_sasl_ir_answers_the_first_challenge()
    {
        await using var server = ScriptedImapServer.Start(async c =>
        {
            await c.SendAsync("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n");
            await c.ExpectAsync("A1 AUTHENTICATE PLAIN");
            await c.SendAsync("+ \r\n");
            await c.ExpectAsync(ImapTestOptions.Base64("\0me\0secret"));
            await c.SendAsync("A1 OK in\r\n");
        });
        await using var client = await ImapClient.ConnectAsync(ImapTestOptions.Connection(server.Port), CancellationToken.None);
        await client.LoginAsync("me", "secret", ImapAuthMechanism.Plain, CancellationToken.None);
        await server.CompletedAsync();
    }

    [Fact]
    public async Task Xoauth2_answers_the_error_challenge_with_an_empty_line_and_reports_the_no()
    {
        await using var server = ScriptedImapServer.Start(async c =>
        {
            await c.SendAsync("* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=XOAUTH2] ready\r\n");
            await c.ExpectAsync("A1 AUTHENTICATE XOAUTH2 " + ImapTestOptions.Base64("user=me@example.com\u0001auth=Bearer tok\u0001\u0001"));
            await c.SendAsync("+ " + ImapTestOptions.Base64("{\"status\":\"401\"}") + "\r\n");
            await c.ExpectAsync(string.Empty);
            await c.SendAsync("A1 NO [AUTHENTICATIONFAILED] Invalid credentials\r\n");
        });
        await using var client = await ImapClient.ConnectAsync(ImapTestOptions.Connection(server.Port), CancellationToken.None);
        var e = await Assert.ThrowsAsync<ImapCommandException>(() => client.LoginAsync("me@example.com", "tok", ImapAuthMechanism.XOAuth2, CancellationToken.None));
        Assert.Equal("AUTHENTICATIONFAILED", e.Code);
        Assert.True(client.IsUsable);
        await server.CompletedAsync();
    }

    [Fact]
    public async Task Oauthbearer_sends_the_gs2_header_and_answers_an_error_with_ctrl_a()
    {
        await using var server = ScriptedImapServer.Start(async c =>
        {
            await c.SendAsync("* OK [CAPABILITY IMAP4rev1 AUTH=OAUTHBEARER] ready\r\n");
            await c.ExpectAsync("A1 AUTHENTICATE OAUTHBEARER");
            await c.SendAsync("+ \r\n");
            var payload = Encoding.UTF8.GetString(Convert.FromBase64String(await c.ReadLineAsync()));
            Assert.StartsWith("n,a=a=3Db=2Cc,\u0001host=127.0.0.1\u0001port=", payload, StringComparison.Ordinal);
            Assert.EndsWith("\u0001auth=Bearer tok\u0001\u0001", payload, StringComparison.Ordinal);
            await c.SendAsync("+ " + ImapTestOptions.Base64("{\"status\":\"invalid_token\"}") + "\r\n");
            await c.ExpectAsync("AQ==");
            await c.SendAsync("A1 NO [AUTHENTICATIONFAILED] no\r\n");
        });
        await using var client = await ImapClient.ConnectAsync(ImapTestOptions.Connection(server.Port), CancellationToken.None);
        await Assert.ThrowsAsync<ImapCommandException>(() => client.LoginAsync("a=b,c", "tok", ImapAuthMechanism.OAuthBearer, CancellationToken.None));
        await server.CompletedAsync();
    }
}
