using System.Text;
using PopGate.Testing;

namespace PopGate.Interop.Peers;

/// <summary>The private Dovecot serves IMAP with the programs unpacked from dovecot-imapd, beside POP3.</summary>
public sealed class DovecotImapLauncherTests
{
    [Fact]
    public async Task Serves_imap_from_the_unpacked_package()
    {
        await using var dovecot = await DovecotServer.StartAsync(new DovecotOptions { Protocols = "pop3 imap", Tls = true });
        await dovecot.AddMessagesAsync([Encoding.ASCII.GetBytes("Subject: one\n\nbody\n")]);

        await using var probe = await ImapProbe.ConnectAsync(dovecot.ImapPort, TimeSpan.FromSeconds(10));
        Assert.StartsWith("* OK", probe.Greeting, StringComparison.Ordinal);
        Assert.Contains("STARTTLS", probe.Greeting, StringComparison.Ordinal);
        await probe.RequireOkAsync($"LOGIN {dovecot.Options.User} {dovecot.Options.Password}", TimeSpan.FromSeconds(10));
        var select = await probe.RequireOkAsync("EXAMINE INBOX", TimeSpan.FromSeconds(10));
        Assert.Contains("* 1 EXISTS", select);
        Assert.NotEqual(0, dovecot.ImapsPort);
        Assert.NotEqual(0, dovecot.Pop3Port);
    }
}
