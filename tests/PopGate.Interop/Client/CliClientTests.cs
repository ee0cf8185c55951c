using System.Text;
using System.Text.Json;
using PopGate.Client;
using PopGate.Testing;

namespace PopGate.Interop.Client;

/// <summary>
/// `popgate info`, `ls`, `get` and `rm` run as real processes against Dovecot over STLS with its certificate
/// pinned, and their one-line failures with distinct exit statuses.
/// </summary>
public sealed class CliClientTests : IClassFixture<CliClientTests.Fixture>
{
    private const string PasswordVariable = "POPGATE_TEST_PASSWORD";

    private static readonly byte[][] Messages =
    [
        Encoding.ASCII.GetBytes("From: =?ISO-8859-1?Q?Andr=E9?= <andre@example.com>\nSubject: =?UTF-8?B?w6l0w6k=?= report\nDate: Tue, 1 Jul 2003 10:52:37 +0200\n\nfirst body\n.dot line\n"),
        Encoding.ASCII.GetBytes("From: bob@example.com\r\nSubject: plain\r\n\tfolded subject\r\n\r\nsecond\r\n"),
        File.ReadAllBytes(TestCorpus.NonEmptyMessageFiles().First(f => new FileInfo(f).Length > 20_000)),
    ];

    private readonly Fixture _fixture;

    public CliClientTests(Fixture fixture)
    {
        _fixture = fixture;
    }

    public sealed class Fixture : DovecotFixture
    {
        public IReadOnlyList<string> Names { get; private set; } = [];

        protected override async Task StartedAsync() => Names = await Dovecot.AddMessagesAsync(Messages);
    }

    private DovecotServer Dovecot => _fixture.Dovecot;

    private string Spec => $"starttls:{Dovecot.Options.User}@127.0.0.1!localhost:{Dovecot.Pop3Port}";

    private Dictionary<string, string> Environment => new() { [PasswordVariable] = Dovecot.Options.Password };

    private Task<CliResult> RunAsync(params string[] arguments) =>
        PopgateCli.RunAsync(Environment, [.. arguments, "--fingerprint", _fixture.Fingerprint, "--password-env", PasswordVariable]);

    [Fact]
    public async Task Info_shows_greeting_tls_certificate_and_login_methods()
    {
        var text = await RunAsync("info", Spec);
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("Dovecot", text.StdOut, StringComparison.Ordinal);
        Assert.Contains(CertificateFingerprint.Format(_fixture.Fingerprint), text.StdOut, StringComparison.Ordinal);
        Assert.Contains("CN=localhost", text.StdOut, StringComparison.Ordinal);
        Assert.Contains("SCRAM-SHA-256", text.StdOut, StringComparison.Ordinal);
        Assert.Contains("TLSv1.", text.StdOut, StringComparison.Ordinal);

        var json = await RunAsync("info", Spec, "--json");
        Assert.True(json.ExitCode == 0, json.ToString());
        using var document = JsonDocument.Parse(json.StdOutBytes);
        var root = document.RootElement;
        Assert.Equal("starttls", root.GetProperty("security").GetString());
        Assert.Equal(CertificateFingerprint.Format(_fixture.Fingerprint), root.GetProperty("tls").GetProperty("sha256").GetString());
        Assert.False(root.GetProperty("tls").GetProperty("trusted").GetBoolean());
        Assert.True(root.GetProperty("tls").GetProperty("notAfter").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        Assert.True(root.GetProperty("pipelining").GetBoolean());
        Assert.Contains("PLAIN", root.GetProperty("loginMethods").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Ls_lists_numbers_sizes_uidls_and_decoded_headers()
    {
        var json = await RunAsync("ls", Spec, "--json", "--headers");
        Assert.True(json.ExitCode == 0, json.ToString());
        using var document = JsonDocument.Parse(json.StdOutBytes);
        var entries = document.RootElement.EnumerateArray().ToList();
        var byUid = entries.ToDictionary(e => e.GetProperty("uid").GetString()!);
        var first = byUid[_fixture.Names[0]];
        Assert.Equal("André <andre@example.com>", first.GetProperty("from").GetString());
        Assert.Equal("été report", first.GetProperty("subject").GetString());
        Assert.Equal("Tue, 1 Jul 2003 10:52:37 +0200", first.GetProperty("date").GetString());
        Assert.Equal(TestCorpus.ToWire(Messages[0]).Length, first.GetProperty("size").GetInt64());
        Assert.Equal("plain\tfolded subject", byUid[_fixture.Names[1]].GetProperty("subject").GetString());

        var text = await RunAsync("ls", Spec, "--headers");
        Assert.True(text.ExitCode == 0, text.ToString());
        var line = text.StdOut.Split('\n').Single(l => l.Contains(_fixture.Names[0], StringComparison.Ordinal));
        Assert.Contains("André <andre@example.com>", line, StringComparison.Ordinal);
        Assert.Contains("été report", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_writes_raw_bytes_to_stdout_to_a_file_and_into_a_folder()
    {
        var stdout = await RunAsync("get", Spec, "--uid", _fixture.Names[0]);
        Assert.True(stdout.ExitCode == 0, stdout.ToString());
        Assert.Equal(TestCorpus.ToWire(Messages[0]), stdout.StdOutBytes);

        using var dir = new TempDir("popgate-get");
        var file = Path.Combine(dir.Path, "one.eml");
        var single = await RunAsync("get", Spec, _fixture.Names[2], "-o", file);
        Assert.True(single.ExitCode == 0, single.ToString());
        Assert.Equal(TestCorpus.ToWire(Messages[2]), await File.ReadAllBytesAsync(file));

        var folder = Path.Combine(dir.Path, "all") + "/";
        var many = await RunAsync("get", Spec, _fixture.Names[0], _fixture.Names[1], _fixture.Names[2], "-o", folder);
        Assert.True(many.ExitCode == 0, many.ToString());
        for (var i = 0; i < Messages.Length; i++)
        {
            Assert.Equal(TestCorpus.ToWire(Messages[i]), await File.ReadAllBytesAsync(Path.Combine(folder, _fixture.Names[i] + ".eml")));
        }

        Assert.Empty(Directory.EnumerateFiles(folder, "*.part"));
        Assert.Equal(3, many.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Rm_deletes_at_quit_and_reports_and_an_unknown_message_removes_nothing()
    {
        var names = await Dovecot.AddMessagesAsync([Encoding.ASCII.GetBytes("Subject: to remove\n\nbye\n")]);
        var missing = await RunAsync("rm", Spec, names[0], "no-such-uid");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no-such-uid", missing.StdErr, StringComparison.Ordinal);
        Assert.Single(missing.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(names[0], await UidsAsync());

        var removed = await RunAsync("rm", Spec, names[0]);
        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.Contains($"removed", removed.StdOut, StringComparison.Ordinal);
        Assert.Contains(names[0], removed.StdOut, StringComparison.Ordinal);
        Assert.Contains("1 message removed", removed.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain(names[0], await UidsAsync());
        Assert.Contains(_fixture.Names[0], await UidsAsync());
    }

    [Fact]
    public async Task Credentials_come_from_a_netrc_file_and_a_password_command()
    {
        using var dir = new TempDir("popgate-netrc");
        var netrc = Path.Combine(dir.Path, ".netrc");
        await File.WriteAllTextAsync(netrc, $"machine 127.0.0.1 login {Dovecot.Options.User} password {Dovecot.Options.Password}\n");
        var spec = $"starttls:127.0.0.1!localhost:{Dovecot.Pop3Port}";
        var viaFile = await PopgateCli.RunAsync(null, "ls", spec, "--fingerprint", _fixture.Fingerprint, "--netrc-file", netrc);
        Assert.True(viaFile.ExitCode == 0, viaFile.ToString());
        Assert.Contains(_fixture.Names[0], viaFile.StdOut, StringComparison.Ordinal);

        var viaHome = await PopgateCli.RunAsync(new Dictionary<string, string> { ["HOME"] = dir.Path }, "ls", spec, "--fingerprint", _fixture.Fingerprint);
        Assert.True(viaHome.ExitCode == 0, viaHome.ToString());

        var viaCommand = await PopgateCli.RunAsync(null, "ls", Spec, "--fingerprint", _fixture.Fingerprint,
            "--password-command", $"echo {Dovecot.Options.Password}", "--auth", "cram-md5", "--transcript");
        Assert.True(viaCommand.ExitCode == 0, viaCommand.ToString());
        Assert.Contains("C: AUTH CRAM-MD5", viaCommand.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain(Dovecot.Options.Password, viaCommand.StdErr, StringComparison.Ordinal);
    }

    public static TheoryData<string, int, string> Failures() => new()
    {
        { "wrong-password", ClientExitCodes.Authentication, "login refused" },
        { "untrusted", ClientExitCodes.Tls, "not trusted" },
        { "refused", ClientExitCodes.Connection, "connection refused" },
        { "bad-spec", ClientExitCodes.Usage, "bad port" },
        { "no-password", ClientExitCodes.Authentication, "no password" },
        { "bad-fingerprint", ClientExitCodes.Usage, "fingerprint" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Failures_are_one_line_with_their_own_exit_status(string kind, int status, string words)
    {
        var pin = new[] { "--fingerprint", _fixture.Fingerprint };
        var result = kind switch
        {
            "wrong-password" => await PopgateCli.RunAsync(new Dictionary<string, string> { [PasswordVariable] = "wrong" }, ["ls", Spec, "--password-env", PasswordVariable, .. pin]),
            "untrusted" => await PopgateCli.RunAsync(Environment, "ls", Spec, "--password-env", PasswordVariable),
            "refused" => await PopgateCli.RunAsync(Environment, "info", $"tcp:127.0.0.1:{FreePort.Next()}"),
            "bad-spec" => await PopgateCli.RunAsync(Environment, "info", "ssl:host:pop3"),
            "no-password" => await PopgateCli.RunAsync(new Dictionary<string, string> { ["HOME"] = "/nonexistent" }, ["ls", Spec, .. pin]),
            _ => await PopgateCli.RunAsync(Environment, "info", Spec, "--fingerprint", "12:34"),
        };
        Assert.Equal(status, result.ExitCode);
        var lines = result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("popgate ", lines[0], StringComparison.Ordinal);
        Assert.Contains(words, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", result.StdErr, StringComparison.Ordinal);
    }

    private async Task<IReadOnlyList<string>> UidsAsync()
    {
        await using var client = new Pop3Client(new Pop3ClientOptions { Tls = new TlsSettings { PinnedSha256 = _fixture.Fingerprint } });
        await client.ConnectAsync(ConnectionSpec.Parse(Spec));
        await client.AuthenticateAsync(new Pop3Credentials(Dovecot.Options.User) { Password = Dovecot.Options.Password });
        var uids = await client.UidlAsync();
        await client.QuitAsync();
        return uids.Select(u => u.Uid).ToList();
    }

    /// <summary>The statuses documented for the client commands (kept in step with the CLI by these tests).</summary>
    private static class ClientExitCodes
    {
        public const int Usage = 2;
        public const int Connection = 3;
        public const int Tls = 4;
        public const int Authentication = 5;
    }
}
