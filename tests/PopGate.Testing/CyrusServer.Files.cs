using System.Globalization;
using System.Text;

namespace PopGate.Testing;

public sealed partial class CyrusServer
{
    private async Task WriteFilesAsync((string Uid, string Gid) owner)
    {
        foreach (var sub in new[] { "conf", "conf/proc", "conf/lock", "conf/socket", "conf/log", "spool", "run", "log", "tmp", "sieve", "ssl" })
        {
            _base.Sub(sub);
        }

        if (Options.Telemetry)
        {
            _base.Sub(Path.Combine("conf", "log", Options.User));
        }

        var tls = string.Empty;
        if (Options.Tls)
        {
            var pem = await SelfSignedPem.WriteAsync(Path.Combine(BaseDir, "ssl"), "localhost").ConfigureAwait(false);
            CertificatePath = pem.CertificatePath;
            CertificateSha256 = pem.Sha256Fingerprint;
            tls = $"tls_server_cert: {pem.CertificatePath}\ntls_server_key: {pem.KeyPath}\n";
        }

        var imapd = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"configdirectory: {BaseDir}/conf")
            .AppendLine(CultureInfo.InvariantCulture, $"partition-default: {BaseDir}/spool")
            .AppendLine("defaultpartition: default")
            .AppendLine(CultureInfo.InvariantCulture, $"proc_path: {BaseDir}/conf/proc")
            .AppendLine(CultureInfo.InvariantCulture, $"mboxname_lockpath: {BaseDir}/conf/lock")
            .AppendLine(CultureInfo.InvariantCulture, $"lmtpsocket: {LmtpSocket}")
            .AppendLine(CultureInfo.InvariantCulture, $"idlesocket: {BaseDir}/conf/socket/idle")
            .AppendLine(CultureInfo.InvariantCulture, $"notifysocket: {BaseDir}/conf/socket/notify")
            .AppendLine(CultureInfo.InvariantCulture, $"temp_path: {BaseDir}/tmp")
            .AppendLine(CultureInfo.InvariantCulture, $"sievedir: {BaseDir}/sieve")
            .AppendLine(CultureInfo.InvariantCulture, $"servername: {Realm}")
            .AppendLine(CultureInfo.InvariantCulture, $"admins: {AdminUser}")
            .AppendLine("allowplaintext: yes")
            .AppendLine("sasl_pwcheck_method: auxprop")
            .AppendLine("sasl_auxprop_plugin: sasldb")
            .AppendLine(CultureInfo.InvariantCulture, $"sasl_sasldb_path: {BaseDir}/sasldb2")
            .AppendLine("sasl_mech_list: PLAIN LOGIN")
            .AppendLine("unixhierarchysep: yes")
            .AppendLine("altnamespace: no")
            .AppendLine("virtdomains: off")
            .AppendLine("hashimapspool: false")
            .AppendLine("umask: 077")
            .AppendLine(CultureInfo.InvariantCulture, $"munge8bit: {(Options.Munge8Bit ? 1 : 0)}")
            .AppendLine("reject8bit: 0")
            .AppendLine("httpmodules: jmap")
            .AppendLine("conversations: 1")
            .AppendLine("conversations_db: twoskip")
            .Append(tls);
        await File.WriteAllTextAsync(ConfigPath, imapd.ToString()).ConfigureAwait(false);

        // The master does not hand its -C to the programs it starts: without it they would use /etc/imapd.conf.
        var c = $"-C {ConfigPath}";
        var (prefork, uses) = Options.Performance ? (4, 1000) : (0, 30);
        var services = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"  imap cmd=\"imapd {c} -U {uses}\" listen=\"127.0.0.1:{ImapPort}\" prefork={prefork} maxchild=200")
            .AppendLine(CultureInfo.InvariantCulture, $"  http cmd=\"httpd {c} -U {uses}\" listen=\"127.0.0.1:{HttpPort}\" prefork={prefork} maxchild=200")
            .AppendLine(CultureInfo.InvariantCulture, $"  lmtpunix cmd=\"lmtpd {c}\" listen=\"{LmtpSocket}\" prefork=0 maxchild=20");
        if (Options.Tls)
        {
            services.AppendLine(CultureInfo.InvariantCulture, $"  imaps cmd=\"imapd -s {c} -U {uses}\" listen=\"127.0.0.1:{ImapsPort}\" prefork={prefork} maxchild=200");
        }

        var master = new StringBuilder()
            .AppendLine("START {")
            .AppendLine(CultureInfo.InvariantCulture, $"  recover cmd=\"ctl_cyrusdb {c} -r\"")
            .AppendLine("}")
            .AppendLine("SERVICES {")
            .Append(services)
            .AppendLine("}")
            .AppendLine("EVENTS {")
            .AppendLine(CultureInfo.InvariantCulture, $"  checkpoint cmd=\"ctl_cyrusdb {c} -c\" period=30")
            .AppendLine("}")
            .AppendLine("DAEMON {")
            .AppendLine("}");
        await File.WriteAllTextAsync(MasterConfigPath, master.ToString()).ConfigureAwait(false);

        foreach (var (user, password) in Users.Append((AdminUser, AdminPassword)))
        {
            await SetPasswordAsync(user, password).ConfigureAwait(false);
        }

        var chown = await ProcessRunner.RunAsync(
            "chown",
            ["-R", $"{owner.Uid}:{owner.Gid}", BaseDir],
            TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        if (chown.ExitCode != 0)
        {
            throw new InvalidOperationException($"chown failed: {chown}");
        }

        File.SetUnixFileMode(Path.Combine(BaseDir, "sasldb2"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <summary>Adds or changes a user in the private sasldb (users are filed under <see cref="Realm"/>).</summary>
    private async Task SetPasswordAsync(string user, string password)
    {
        var result = await ProcessRunner.RunAsync(
            PeerProgram.Require("saslpasswd2"),
            ["-f", Path.Combine(BaseDir, "sasldb2"), "-u", Realm, "-p", "-c", user],
            TimeSpan.FromSeconds(20),
            stdin: password).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"saslpasswd2 failed for {user}: {result}");
        }
    }
}
