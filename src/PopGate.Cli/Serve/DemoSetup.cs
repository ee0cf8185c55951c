using System.Net;
using System.Text;
using PopGate.Auth;

namespace PopGate.Cli.Serve;

/// <summary>
/// The embedded demo: on first run, writes a Maildir with sample messages, a users file with demo/demo, and a
/// self-signed certificate into the data folder; later runs reuse them (so deletions stick, as they should).
/// </summary>
internal sealed record DemoSetup(string Folder, string Maildir, string UsersFile, string CertificatePath, string KeyPath)
{
    public const string User = "demo";
    public const string Password = "demo";
    public static readonly IPEndPoint PlainEndPoint = new(IPAddress.Loopback, 1110);
    public static readonly IPEndPoint TlsEndPoint = new(IPAddress.Loopback, 1995);

    public static async Task<DemoSetup> EnsureAsync(string dataFolder, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(dataFolder, "demo");
        var setup = new DemoSetup(folder, Path.Combine(folder, "Maildir"), Path.Combine(folder, "users"), Path.Combine(folder, "cert.pem"), Path.Combine(folder, "key.pem"));
        Directory.CreateDirectory(folder);
        if (!Directory.Exists(setup.Maildir))
        {
            foreach (var sub in new[] { "tmp", "new", "cur" })
            {
                Directory.CreateDirectory(Path.Combine(setup.Maildir, sub));
            }

            foreach (var (name, text) in DemoMessages.All)
            {
                var temp = Path.Combine(setup.Maildir, "tmp", name);
                await File.WriteAllTextAsync(temp, text, new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
                File.Move(temp, Path.Combine(setup.Maildir, "new", name));
            }
        }

        if (!File.Exists(setup.UsersFile))
        {
            await UserDatabase.SetPasswordAsync(setup.UsersFile, User, Password, cancellationToken).ConfigureAwait(false);
        }

        if (!File.Exists(setup.CertificatePath) || !File.Exists(setup.KeyPath))
        {
            CertificateFiles.CreateSelfSigned(setup.CertificatePath, setup.KeyPath);
        }

        return setup;
    }

    public void PrintHowToConnect(TextWriter output)
    {
        output.WriteLine($"""
            PopGate demo server
              POP3 with STLS  {PlainEndPoint}
              POP3 over TLS   {TlsEndPoint}  (self-signed certificate: {CertificatePath})
              user {User}, password {Password}; mail in {Maildir}

            Try it:
              curl -u {User}:{Password} pop3://{PlainEndPoint}/            # list
              curl -k -u {User}:{Password} pop3s://{TlsEndPoint}/1         # read message 1 over TLS
              python3 -c "import poplib; p=poplib.POP3('{PlainEndPoint.Address}', {PlainEndPoint.Port}); p.user('{User}'); p.pass_('{Password}'); print(p.stat()); p.quit()"
            Stop with Ctrl-C.
            """);
    }
}
