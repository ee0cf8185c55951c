using PopGate.Testing;

namespace PopGate.Interop.Imap;

/// <summary>A private Dovecot serving IMAP only, with the corpus.</summary>
public sealed class DovecotImapPeer : ImapPeer
{
    private DovecotServer? _server;

    public DovecotServer Server => _server ?? throw new InvalidOperationException("not started");
    public override string User => Server.Options.User;
    public override string Password => Server.Options.Password;
    public override int ImapPort => Server.ImapPort;
    public override int ImapsPort => Server.ImapsPort;
    public override string CertificateSha256 => Server.CertificateSha256!;

    /// <summary>The password needs a literal in LOGIN: every login here exercises that path.</summary>
    protected override async Task StartServerAsync() =>
        _server = await DovecotServer.StartAsync(new DovecotOptions { Protocols = "imap", Tls = true, Password = "pä ss\"wd" });

    protected override async Task StopServerAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
