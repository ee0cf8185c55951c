using PopGate.Imap;
using PopGate.Tests.Server;

namespace PopGate.Tests.Imap;

/// <summary>TLS against scripted servers: STARTTLS, pinned fingerprints, SNI, refused certificates.</summary>
public sealed class ImapTlsTranscriptTests
{
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
        var options = ImapTestOptions.Connection(server.Port, ImapSecurity.StartTls) with
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
        var e = await Assert.ThrowsAsync<ImapProtocolException>(() => ImapClient.ConnectAsync(ImapTestOptions.Connection(server.Port, ImapSecurity.StartTls) with { Insecure = true }, CancellationToken.None));
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
        var e = await Assert.ThrowsAsync<ImapProtocolException>(() => ImapClient.ConnectAsync(ImapTestOptions.Connection(server.Port, ImapSecurity.StartTls), CancellationToken.None));
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
        var e = await Assert.ThrowsAsync<ImapProtocolException>(() => ImapClient.ConnectAsync(ImapTestOptions.Connection(server.Port, ImapSecurity.Ssl) with { SniHost = "localhost" }, CancellationToken.None));
        Assert.Contains("TLS", e.Message, StringComparison.Ordinal);
    }
}
