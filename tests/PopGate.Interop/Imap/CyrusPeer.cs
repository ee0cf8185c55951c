using PopGate.Testing;

namespace PopGate.Interop.Imap;

/// <summary>A private Cyrus with the corpus, and a second account whose password needs a literal.</summary>
public sealed class CyrusPeer : ImapPeer
{
    private CyrusServer? _server;

    public CyrusServer Server => _server ?? throw new InvalidOperationException("not started");
    public override string User => Server.Options.User;
    public override string Password => Server.Options.Password;
    public override int ImapPort => Server.ImapPort;
    public override int ImapsPort => Server.ImapsPort;
    public override string CertificateSha256 => Server.CertificateSha256!;

    public override string FolderPrefix => "INBOX/";

    /// <summary>A second account whose password needs a literal (space, quote, non-ASCII).</summary>
    public static (string User, string Password) OddAccount => ("odd", "pä ss\"wd{3}");

    protected override async Task StartServerAsync() =>
        _server = await CyrusServer.StartAsync(new CyrusOptions { ExtraUsers = [OddAccount] });

    protected override async Task StopServerAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
