using System.Security.Cryptography;

namespace PopGate.Testing;

/// <summary>What a private Cyrus instance should offer.</summary>
public sealed record CyrusOptions
{
    public string User { get; init; } = "testuser";
    public string Password { get; init; } = "testpass";

    /// <summary>More users (name, password), each with an INBOX.</summary>
    public IReadOnlyList<(string User, string Password)> ExtraUsers { get; init; } = [];

    /// <summary>STARTTLS on the IMAP port and an implicit-TLS (imaps) port, with a self-signed certificate.</summary>
    public bool Tls { get; init; } = true;

    /// <summary>Prefork imapd and httpd processes and reuse them, instead of one fresh process per connection.</summary>
    public bool Performance { get; init; }

    /// <summary>Cyrus' own default of turning 8-bit bytes in header fields into 'X'; off here so headers stay as sent.</summary>
    public bool Munge8Bit { get; init; }

    /// <summary>Cyrus' protocol telemetry for the main user, in <see cref="CyrusServer.TelemetryDir"/>.</summary>
    public bool Telemetry { get; init; }
}

/// <summary>
/// A private Cyrus IMAP (plain + STARTTLS, and imaps) and JMAP-over-HTTP server on 127.0.0.1, everything under its
/// own folder. The system's /etc/imapd.conf, /var/lib/cyrus and /run/cyrus are never used: every program the master
/// starts gets "-C" with the private config, because the master does not pass its own on. Needs root (the master
/// runs as the cyrus user through setpriv).
/// </summary>
public sealed partial class CyrusServer : IAsyncDisposable
{
    /// <summary>The SASL realm: imapd and httpd look users up under servername, so both are pinned to this.</summary>
    public const string Realm = "localhost";

    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);

    private readonly TempDir _base;

    private CyrusServer(TempDir baseDir, CyrusOptions options)
    {
        _base = baseDir;
        Options = options;
        ImapPort = FreePort.Next();
        HttpPort = FreePort.Next();
        ImapsPort = options.Tls ? FreePort.Next() : 0;
        AdminPassword = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    }

    public CyrusOptions Options { get; }

    /// <summary>Plain IMAP, with STARTTLS when <see cref="CyrusOptions.Tls"/>.</summary>
    public int ImapPort { get; }

    /// <summary>IMAP over implicit TLS, or 0 without TLS.</summary>
    public int ImapsPort { get; }

    /// <summary>JMAP over plain HTTP (Basic auth with the users' passwords).</summary>
    public int HttpPort { get; }

    /// <summary>The admin user's name; it may CREATE and DELETE "user/NAME" mailboxes.</summary>
    public string AdminUser => "cyrus";

    public string AdminPassword { get; }

    /// <summary>The SHA-256 of the server certificate (upper-case hex), or null without TLS.</summary>
    public string? CertificateSha256 { get; private set; }

    public string? CertificatePath { get; private set; }

    public string BaseDir => _base.Path;
    public string ConfigPath => Path.Combine(BaseDir, "imapd.conf");
    public string MasterConfigPath => Path.Combine(BaseDir, "cyrus.conf");
    public string PidFile => Path.Combine(BaseDir, "run", "master.pid");
    public string MasterLog => Path.Combine(BaseDir, "log", "master.log");
    public string LmtpSocket => Path.Combine(BaseDir, "conf", "socket", "lmtp");
    public string TelemetryDir => Path.Combine(BaseDir, "conf", "log", Options.User);

    /// <summary>The JMAP session resource (Cyrus answers /.well-known/jmap with a redirect here).</summary>
    public Uri JmapSessionUri => new($"http://127.0.0.1:{HttpPort}/jmap");

    /// <summary>The JMAP API endpoint (Cyrus gives it relative in the session object).</summary>
    public Uri JmapApiUri => new($"http://127.0.0.1:{HttpPort}/jmap/");

    public static async Task<CyrusServer> StartAsync(CyrusOptions? options = null)
    {
        options ??= new CyrusOptions();
        var master = PeerProgram.Require("/usr/sbin/cyrmaster");
        foreach (var program in new[] { "imapd", "httpd", "lmtpd", "ctl_cyrusdb" })
        {
            PeerProgram.Require(Path.Combine(ProgramFolder, program));
        }

        PeerProgram.Require("saslpasswd2");
        PeerProgram.Require("setpriv");
        var server = new CyrusServer(new TempDir("cyrus"), options);
        try
        {
            var owner = await CyrusOwnerAsync().ConfigureAwait(false);
            await server.WriteFilesAsync(owner).ConfigureAwait(false);
            // The master daemonizes (-d); its output goes to a file so that no pipe of ours stays open in the daemon.
            var result = await ProcessRunner.RunAsync(
                "/bin/sh",
                ["-c", "exec \"$0\" --reuid=\"$1\" --regid=\"$2\" --init-groups \"$3\" -C \"$4\" -M \"$5\" -p \"$6\" -L \"$7\" -d >>\"$8\" 2>&1 </dev/null",
                    PeerProgram.Require("setpriv"), owner.Uid, owner.Gid, master, server.ConfigPath, server.MasterConfigPath, server.PidFile, server.MasterLog, Path.Combine(server.BaseDir, "log", "start.log")],
                StartLimit).ConfigureAwait(false);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"cyrmaster did not start: {result}\n{server.ReadLog()}");
            }

            await server.WaitReadyAsync().ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Appends messages over IMAP (as the main user unless another is named); see <see cref="ImapAppender"/>.</summary>
    public Task<IReadOnlyList<PopGate.Imap.AppendResult>> AppendAsync(IEnumerable<byte[]> messages, string mailbox = "INBOX", (string User, string Password)? account = null, bool binary = false)
    {
        var (user, password) = account ?? (Options.User, Options.Password);
        return ImapAppender.AppendAsync(ImapPort, user, password, messages, mailbox, binary);
    }

    /// <summary>Every user this instance knows, the main one first.</summary>
    public IEnumerable<(string User, string Password)> Users =>
        new[] { (Options.User, Options.Password) }.Concat(Options.ExtraUsers);

    /// <summary>The master's own log and what it printed while starting (Cyrus itself logs to syslog only).</summary>
    public string ReadLog()
    {
        var text = new System.Text.StringBuilder();
        foreach (var file in new[] { MasterLog, Path.Combine(BaseDir, "log", "start.log") })
        {
            try
            {
                text.AppendLine(File.ReadAllText(file));
            }
            catch (IOException)
            {
            }
        }

        return text.Length > 4000 ? text.ToString()[^4000..] : text.ToString();
    }

    /// <summary>Stops the master (TERM, KILL after 10 s), then any of its children still running, and removes the folder.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _base.Dispose();
    }

    /// <summary>Stops the instance but keeps its folder (a later start is not supported; this is for "server down" tests).</summary>
    public async Task StopAsync()
    {
        if (File.Exists(PidFile) && int.TryParse((await File.ReadAllTextAsync(PidFile).ConfigureAwait(false)).Trim(), out var pid)
            && PeerProcesses.IsAlive(pid) && PeerProcesses.HasArgument(pid, ConfigPath))
        {
            await PeerProcesses.StopAsync([pid], TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }

        // Children of a master that died hard keep running and keep the listening sockets.
        await PeerProcesses.StopAsync(PeerProcesses.WithArgument(ConfigPath), TimeSpan.FromSeconds(5)).ConfigureAwait(false);
    }

    private static string ProgramFolder => "/usr/lib/cyrus/bin";

    private static async Task<(string Uid, string Gid)> CyrusOwnerAsync()
    {
        var uid = await ProcessRunner.RunAsync("id", ["-u", "cyrus"], TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        var gid = await ProcessRunner.RunAsync("id", ["-g", "cyrus"], TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        if (uid.ExitCode != 0 || gid.ExitCode != 0)
        {
            throw new InvalidOperationException("no 'cyrus' user: install cyrus-common (scripts/install-peers.sh)");
        }

        return (uid.StdOut.Trim(), gid.StdOut.Trim());
    }
}
