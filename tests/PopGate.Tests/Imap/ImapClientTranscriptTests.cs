using System.Text;
using PopGate.Imap;
using PopGate.Tests.Server;

namespace PopGate.Tests.Imap;

/// <summary>The client against scripted servers: the exact commands it sends, and when.</summary>
public sealed class ImapClientTranscriptTests
{
    private static ImapConnectionOptions Options(int port, ImapSecurity security = ImapSecurity.None) => new()
    {
        Host = "127.0.0.1",
        Port = port,
        Security = security,
        Limits = new ImapLimits { Timeout = TimeSpan.FromSeconds(5) },
    };

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task Takes_capabilities_from_the_greeting_and_from_the_login_reply()
    {
        await using var server = ScriptedImapServer.Start(async c =>
        {
            await c.SendAsync("* OK [CAPABILITY IMAP4rev1 LOGIN-REFERRALS AUTH=PLAIN] ready\r\n");
            await c.ExpectAsync("A1 LOGIN me secret");
            await c.SendAsync("A1 OK [CAPABILITY IMAP4rev1 UIDPLUS MOVE] logged in\r\n");
        });
        await using var client = await ImapClient.ConnectAsync(Options(server.Port), CancellationToken.None);
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
        await using var client = await ImapClient.ConnectAsync(Options(server.Port), CancellationToken.None);
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
        await using var client = await ImapClient.ConnectAsync(Options(server.Port), CancellationToken.None);
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
        await using var client = await ImapClient.ConnectAsync(Options(server.Port), CancellationToken.None);
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
            await c.ExpectAsync("A1 AUTHENTICATE PLAIN " + B64("\0me\0secret"));
            // Nothing may follow AUTHENTICATE before its reply: servers may drop it (Cyrus does).
            Assert.True(await c.SilentAsync(TimeSpan.FromMilliseconds(300)), "a command followed AUTHENTICATE");
            await c.SendAsync("A1 OK in\r\n");
            await c.ExpectAsync("A2 CAPABILITY");
            await c.SendAsync("* CAPABILITY IMAP4rev1\r\nA2 OK c\r\n");
        });
        await using var client = await ImapClient.ConnectAsync(Options(server.Port), CancellationToken.None);
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
            await c.ExpectAsync(B64("\0me\0secret"));
            await c.SendAsync("A1 OK in\r\n");
        });
        await using var client = await ImapClient.ConnectAsync(Options(server.Port), CancellationToken.None);
        await client.LoginAsync("me", "secret", ImapAuthMechanism.Plain, CancellationToken.None);
        await server.CompletedAsync();
    }

    [Fact]
    public async Task Xoauth2_answers_the_error_challenge_with_an_empty_line_and_reports_the_no()
    {
        await using var server = ScriptedImapServer.Start(async c =>
        {
            await c.SendAsync("* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=XOAUTH2] ready\r\n");
            await c.ExpectAsync("A1 AUTHENTICATE XOAUTH2 " + B64("user=me@example.com\u0001auth=Bearer tok\u0001\u0001"));
            await c.SendAsync("+ " + B64("{\"status\":\"401\"}") + "\r\n");
            await c.ExpectAsync(string.Empty);
            await c.SendAsync("A1 NO [AUTHENTICATIONFAILED] Invalid credentials\r\n");
        });
        await using var client = await ImapClient.ConnectAsync(Options(server.Port), CancellationToken.None);
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
            await c.SendAsync("+ " + B64("{\"status\":\"invalid_token\"}") + "\r\n");
            await c.ExpectAsync("AQ==");
            await c.SendAsync("A1 NO [AUTHENTICATIONFAILED] no\r\n");
        });
        await using var client = await ImapClient.ConnectAsync(Options(server.Port), CancellationToken.None);
        await Assert.ThrowsAsync<ImapCommandException>(() => client.LoginAsync("a=b,c", "tok", ImapAuthMechanism.OAuthBearer, CancellationToken.None));
        await server.CompletedAsync();
    }

    [Fact]
    public async Task Starttls_upgrades_checks_the_pinned_fingerprint_sends_the_sni_name_and_asks_capabilities_again()
    {
        var certificate = TestCertificate.Get();
        string? sni = null;
        await using var server = ScriptedImapServer.Start(async c =>
        {
            await c.SendAsync("* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready\r\n");
            await c.ExpectAsync("A1 STARTTLS");
            await c.SendAsync("A1 OK begin TLS\r\n");
            await c.StartTlsAsync(certificate);
            sni = c.SniName;
            await c.ExpectAsync("A2 CAPABILITY");
            await c.SendAsync("* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nA2 OK c\r\n");
        });
        var options = Options(server.Port, ImapSecurity.StartTls) with
        {
            Fingerprint = string.Join(':', ImapCertificateCheck.Sha256(certificate).Chunk(2).Select(p => new string(p))),
            SniHost = "mail.example.org",
        };
        await using var client = await ImapClient.ConnectAsync(options, CancellationToken.None);
        Assert.True(client.IsTls);
        Assert.False(client.Capabilities.LoginDisabled);
        Assert.True(client.Capabilities.HasAuth("PLAIN"));
        await server.CompletedAsync();
        Assert.Equal("mail.example.org", sni);
    }

    [Fact]
    public async Task Starttls_refuses_bytes_the_server_slipped_in_before_the_handshake()
    {
        await using var server = ScriptedImapServer.Start(async c =>
        {
            await c.SendAsync("* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n");
            await c.ExpectAsync("A1 STARTTLS");
            await c.SendAsync("A1 OK begin TLS\r\n* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] injected\r\n");
            await Task.Delay(500);
        });
        var e = await Assert.ThrowsAsync<ImapProtocolException>(() => ImapClient.ConnectAsync(Options(server.Port, ImapSecurity.StartTls) with { Insecure = true }, CancellationToken.None));
        Assert.Contains("after the STARTTLS reply", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Starttls_is_required_when_asked_for()
    {
        await using var server = ScriptedImapServer.Start(async c =>
        {
            await c.SendAsync("* OK [CAPABILITY IMAP4rev1] ready\r\n");
            await Task.Delay(500);
        });
        var e = await Assert.ThrowsAsync<ImapProtocolException>(() => ImapClient.ConnectAsync(Options(server.Port, ImapSecurity.StartTls), CancellationToken.None));
        Assert.Contains("STARTTLS", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Implicit_tls_refuses_a_certificate_the_system_does_not_trust()
    {
        var certificate = TestCertificate.Get();
        await using var server = ScriptedImapServer.Start(async c =>
        {
            try
            {
                await c.StartTlsAsync(certificate);
            }
            catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
            {
            }
        });
        var e = await Assert.ThrowsAsync<ImapProtocolException>(() => ImapClient.ConnectAsync(Options(server.Port, ImapSecurity.Ssl) with { SniHost = "localhost" }, CancellationToken.None));
        Assert.Contains("TLS", e.Message, StringComparison.Ordinal);
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
        await using var client = await ImapClient.ConnectAsync(Options(server.Port), CancellationToken.None);
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
        await using var client = await ImapClient.ConnectAsync(Options(server.Port), CancellationToken.None);
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
        await using var client = await ImapClient.ConnectAsync(Options(server.Port), CancellationToken.None);
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
        await using var client = await ImapClient.ConnectAsync(Options(server.Port), CancellationToken.None);
        var results = await client.AppendAsync("INBOX", ["a\rb\r\n"u8.ToArray().AsMemory(0, 3), new byte[] { 0 }], null, false, CancellationToken.None);
        Assert.Equal(new AppendResult(true, 12, null), results[0]);
        Assert.False(results[1].Accepted);
        Assert.Contains("NUL", results[1].Error, StringComparison.Ordinal);
        await server.CompletedAsync();
    }
}
