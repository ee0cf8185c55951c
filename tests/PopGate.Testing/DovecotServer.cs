using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace PopGate.Testing;

/// <summary>What a private Dovecot instance should offer.</summary>
public sealed record DovecotOptions
{
    public string User { get; init; } = "testuser";
    public string Password { get; init; } = "testpass";

    /// <summary>Also listen with implicit TLS (pop3s) and offer STLS, with a self-signed certificate.</summary>
    public bool Tls { get; init; }

    /// <summary>Reuse login and pop3 processes (service_count = 0), Dovecot's fast set-up.</summary>
    public bool Performance { get; init; }

    /// <summary>Lines added to dovecot.conf as they are (e.g. an imap block naming extracted binaries).</summary>
    public string ExtraConfig { get; init; } = string.Empty;

    /// <summary>Value of `auth_mechanisms` (CRAM-MD5 and SCRAM-SHA-256 work too: the passdb holds PLAIN passwords).</summary>
    public string AuthMechanisms { get; init; } = "plain login";

    /// <summary>Value of `protocols`: "pop3", "imap" or "pop3 imap". IMAP runs dovecot-imapd's programs from
    /// <see cref="DovecotImapBinaries"/>, named as each imap service's executable.</summary>
    public string Protocols { get; init; } = "pop3";

    /// <summary>The main user's passwd-file password field; null for `{PLAIN}` and <see cref="Password"/>.</summary>
    public string? StoredPassword { get; init; }

    /// <summary>More users, each with a home (and so a Maildir) of its own unless one is given.</summary>
    public IReadOnlyList<DovecotAccount> Accounts { get; init; } = [];

    /// <summary>`default_process_limit`: each session takes one pop3 process, so many idle sessions need more.</summary>
    public int ProcessLimit { get; init; } = 1000;

    internal bool HasImap => Protocols.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("imap", StringComparer.Ordinal);

    internal bool HasPop3 => Protocols.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("pop3", StringComparer.Ordinal);
}

/// <summary>
/// A further Dovecot user: its passwd-file password field (e.g. "{PLAIN}secret") and optionally its home. A home
/// given here is used as it is: its Maildir must exist and belong to the mail user (nobody). Several users may
/// share one home, and it outlives the server, so a restarted server finds the same mail.
/// </summary>
public sealed record DovecotAccount(string Name, string StoredPassword, string? Home = null);

/// <summary>
/// A private Dovecot on 127.0.0.1 with everything under its own folder: config, passwd-file, sockets, log, and the
/// user's Maildir. The system's /etc/dovecot and /run/dovecot are never used. Needs root (Dovecot's master does).
/// </summary>
public sealed class DovecotServer : IAsyncDisposable
{
    private readonly TempDir _base;
    private int _added;

    private DovecotServer(TempDir baseDir, DovecotOptions options, int pop3Port, int pop3sPort)
    {
        _base = baseDir;
        Options = options;
        Pop3Port = pop3Port;
        Pop3sPort = pop3sPort;
        ImapPort = options.HasImap ? FreePort.Next() : 0;
        ImapsPort = options.HasImap && options.Tls ? FreePort.Next() : 0;
    }

    public DovecotOptions Options { get; }
    public int Pop3Port { get; }

    /// <summary>The implicit-TLS port, or 0 without TLS.</summary>
    public int Pop3sPort { get; }
    /// <summary>Plain IMAP (with STARTTLS when <see cref="DovecotOptions.Tls"/>), or 0 without IMAP.</summary>
    public int ImapPort { get; }

    /// <summary>IMAP over implicit TLS, or 0.</summary>
    public int ImapsPort { get; }

    /// <summary>The SHA-256 of the server certificate (upper-case hex), or null without TLS.</summary>
    public string? CertificateSha256 { get; private set; }

    public string BaseDir => _base.Path;
    public string ConfigPath => Path.Combine(BaseDir, "dovecot.conf");
    public string Home => Path.Combine(BaseDir, "home", Options.User);
    public string Maildir => Path.Combine(Home, "Maildir");
    public string LogPath => Path.Combine(BaseDir, "log", "dovecot.log");

    /// <summary>The home of a user: its own when <see cref="DovecotAccount.Home"/> was given, else under home/.</summary>
    public string HomeOf(string user) =>
        Options.Accounts.FirstOrDefault(a => a.Name == user)?.Home ?? Path.Combine(BaseDir, "home", user);

    /// <summary>The master process (the root of every Dovecot process of this instance).</summary>
    public int MasterPid => int.Parse(File.ReadAllText(Path.Combine(BaseDir, "run", "master.pid")).Trim(), CultureInfo.InvariantCulture);

    public static async Task<DovecotServer> StartAsync(DovecotOptions? options = null)
    {
        options ??= new DovecotOptions();
        var dovecot = PeerProgram.Require("dovecot");
        var imapPrograms = options.HasImap ? await DovecotImapBinaries.FolderAsync().ConfigureAwait(false) : null;
        var dir = new TempDir("dovecot");
        var pop3Port = FreePort.Next();
        var pop3sPort = options.Tls ? FreePort.Next() : 0;
        var server = new DovecotServer(dir, options, pop3Port, pop3sPort);
        try
        {
            await server.WriteFilesAsync(imapPrograms).ConfigureAwait(false);
            // Dovecot daemonizes; its own output goes to a file so that no pipe of ours stays open in the daemon.
            var result = await ProcessRunner.RunAsync(
                "/bin/sh",
                ["-c", "exec \"$0\" -c \"$1\" >>\"$2\" 2>&1 </dev/null", dovecot, server.ConfigPath, server.LogPath],
                TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"dovecot did not start: {result}\n{server.ReadLog()}");
            }

            await server.WaitForGreetingAsync().ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task WriteFilesAsync(string? imapPrograms)
    {
        foreach (var sub in new[] { "run", "state", "log" })
        {
            _base.Sub(sub);
        }

        foreach (var sub in new[] { "cur", "new", "tmp" })
        {
            Directory.CreateDirectory(Path.Combine(Maildir, sub));
        }

        var ids = await NobodyIdsAsync().ConfigureAwait(false);
        var passwd = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{Options.User}:{Options.StoredPassword ?? "{PLAIN}" + Options.Password}:{ids.Uid}:{ids.Gid}::{Home}\n");
        foreach (var account in Options.Accounts)
        {
            var home = account.Home ?? Path.Combine(BaseDir, "home", account.Name);
            if (account.Home is null)
            {
                foreach (var sub in new[] { "cur", "new", "tmp" })
                {
                    Directory.CreateDirectory(Path.Combine(home, "Maildir", sub));
                }
            }

            passwd.Append(CultureInfo.InvariantCulture, $"{account.Name}:{account.StoredPassword}:{ids.Uid}:{ids.Gid}::{home}\n");
        }

        await File.WriteAllTextAsync(Path.Combine(BaseDir, "passwd"), passwd.ToString()).ConfigureAwait(false);
        File.SetUnixFileMode(Path.Combine(BaseDir, "passwd"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        await ProcessRunner.ChownAsync(Path.Combine(BaseDir, "home"), "nobody").ConfigureAwait(false);

        var ssl = "ssl = no";
        if (Options.Tls)
        {
            var cert = await SelfSignedPem.WriteAsync(_base.Sub("ssl"), "localhost").ConfigureAwait(false);
            ssl = $"ssl = yes\nssl_cert = <{cert.CertificatePath}\nssl_key = <{cert.KeyPath}\nssl_min_protocol = TLSv1.2";
            CertificateSha256 = cert.Sha256Fingerprint;
        }

        var reuse = Options.Performance
            ? "  service_count = 0\n  process_min_avail = 2\n  client_limit = 1000"
            : string.Empty;
        var pop3Reuse = Options.Performance ? "  service_count = 0\n  process_min_avail = 2\n  client_limit = 1" : string.Empty;
        var config = new StringBuilder()
            .AppendLine($"instance_name = popgate-test-{Pop3Port}")
            .AppendLine($"base_dir = {BaseDir}/run")
            .AppendLine($"state_dir = {BaseDir}/state")
            .AppendLine($"log_path = {LogPath}")
            .AppendLine($"info_log_path = {LogPath}")
            .AppendLine($"protocols = {Options.Protocols}")
            .AppendLine("listen = 127.0.0.1")
            .AppendLine(ssl)
            .AppendLine("disable_plaintext_auth = no")
            .AppendLine($"auth_mechanisms = {Options.AuthMechanisms}")
            .AppendLine("first_valid_uid = 1")
            .AppendLine("mail_location = maildir:~/Maildir")
            .AppendLine("pop3_uidl_format = %f")
            .AppendLine("mail_max_userip_connections = 10000")
            .AppendLine(CultureInfo.InvariantCulture, $"default_process_limit = {Options.ProcessLimit}")
            .AppendLine("default_client_limit = 4000")
            .AppendLine("default_vsz_limit = 1G")
            .AppendLine($"passdb {{\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u {BaseDir}/passwd\n}}")
            .AppendLine($"userdb {{\n  driver = passwd-file\n  args = username_format=%u {BaseDir}/passwd\n}}")
            .AppendLine("service pop3-login {")
            .AppendLine($"  inet_listener pop3 {{\n    address = 127.0.0.1\n    port = {Pop3Port}\n  }}")
            .AppendLine($"  inet_listener pop3s {{\n    address = 127.0.0.1\n    port = {Pop3sPort}\n    ssl = yes\n  }}")
            .AppendLine(reuse)
            .AppendLine("}")
            .AppendLine($"service pop3 {{\n{pop3Reuse}\n}}")
            .AppendLine("protocol pop3 {\n  mail_max_userip_connections = 10000\n}")
            .AppendLine(imapPrograms is null ? string.Empty : ImapConfig(imapPrograms, reuse, pop3Reuse))
            .AppendLine(Options.ExtraConfig);
        await File.WriteAllTextAsync(ConfigPath, config.ToString()).ConfigureAwait(false);
    }

    /// <summary>The imap services, each naming its program from the unpacked package (the defaults point into
    /// /usr/lib/dovecot, where the uninstalled package has none).</summary>
    private string ImapConfig(string programs, string loginReuse, string processReuse)
    {
        var config = new StringBuilder();
        foreach (var service in DovecotImapBinaries.Services)
        {
            var program = Path.Combine(programs, service);
            if (!File.Exists(program))
            {
                continue;
            }

            config.AppendLine($"service {service} {{").AppendLine($"  executable = {program}");
            if (service == "imap-login")
            {
                config.AppendLine($"  inet_listener imap {{\n    address = 127.0.0.1\n    port = {ImapPort}\n  }}")
                    .AppendLine($"  inet_listener imaps {{\n    address = 127.0.0.1\n    port = {ImapsPort}\n    ssl = yes\n  }}")
                    .AppendLine(loginReuse);
            }
            else if (service == "imap")
            {
                config.AppendLine(processReuse);
            }

            config.AppendLine("}");
        }

        return config.AppendLine("protocol imap {\n  mail_max_userip_connections = 10000\n}").ToString();
    }

    private static async Task<(string Uid, string Gid)> NobodyIdsAsync()
    {
        var uid = await ProcessRunner.RunAsync("id", ["-u", "nobody"], TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        var gid = await ProcessRunner.RunAsync("id", ["-g", "nobody"], TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        return (uid.StdOut.Trim(), gid.StdOut.Trim());
    }

    private async Task WaitForGreetingAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            try
            {
                if ((!Options.HasPop3 || await GreetsAsync(Pop3Port, "+OK"u8.ToArray()).ConfigureAwait(false))
                    && (!Options.HasImap || await GreetsAsync(ImapPort, "* OK"u8.ToArray()).ConfigureAwait(false)))
                {
                    return;
                }
            }
            catch (Exception e) when ((e is SocketException or IOException or OperationCanceledException) && DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"dovecot did not greet on port {Pop3Port}/{ImapPort}\n{ReadLog()}");
            }

            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    private static async Task<bool> GreetsAsync(int port, byte[] prefix)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port).ConfigureAwait(false);
        var buffer = new byte[64];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var n = await client.GetStream().ReadAsync(buffer, cts.Token).ConfigureAwait(false);
        return n >= prefix.Length && buffer.AsSpan(0, prefix.Length).SequenceEqual(prefix);
    }

    /// <summary>Puts message files into the user's Maildir new/ (owned by the mail user), returning their names.</summary>
    public async Task<IReadOnlyList<string>> AddMessagesAsync(IEnumerable<byte[]> messages)
    {
        var names = new List<string>();
        foreach (var message in messages)
        {
            // Counted across calls, so later additions sort after earlier ones and never reuse a name.
            var i = _added++;
            var name = $"{1700000000 + i}.P{Environment.ProcessId}Q{i}.popgate-test";
            var temp = Path.Combine(Maildir, "tmp", name);
            await File.WriteAllBytesAsync(temp, message).ConfigureAwait(false);
            File.Move(temp, Path.Combine(Maildir, "new", name));
            names.Add(name);
        }

        await ProcessRunner.ChownAsync(Maildir, "nobody").ConfigureAwait(false);
        return names;
    }

    /// <summary>Empties the user's Maildir and Dovecot's index of it.</summary>
    public async Task ClearMailAsync()
    {
        foreach (var sub in new[] { "cur", "new", "tmp" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Maildir, sub)))
            {
                File.Delete(file);
            }
        }

        foreach (var file in Directory.EnumerateFiles(Maildir, "dovecot*"))
        {
            File.Delete(file);
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public string ReadLog()
    {
        try
        {
            var text = File.ReadAllText(LogPath);
            return text.Length > 4000 ? text[^4000..] : text;
        }
        catch (IOException)
        {
            return "(no dovecot log)";
        }
    }

    public async ValueTask DisposeAsync()
    {
        var dovecot = PeerProgram.Find("dovecot");
        if (dovecot is not null && File.Exists(ConfigPath))
        {
            await ProcessRunner.RunAsync(dovecot, ["-c", ConfigPath, "stop"], TimeSpan.FromSeconds(20)).ConfigureAwait(false);
        }

        _base.Dispose();
    }
}
