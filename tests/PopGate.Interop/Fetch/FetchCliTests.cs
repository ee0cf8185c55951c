using PopGate.Interop.Client;
using PopGate.Testing;

namespace PopGate.Interop.Fetch;

/// <summary>
/// `popgate fetch` as a command against `popgate serve`: several accounts from --config at once, TLS checked and
/// refused with one line, connection and name failures with one line and their exit status, usage errors.
/// </summary>
public sealed class FetchCliTests(PopGateFetchPeer peer) : IClassFixture<PopGateFetchPeer>
{
    [Fact]
    public async Task A_config_file_fetches_every_account_into_its_own_destination()
    {
        using var dir = new TempDir("fetch-config");
        var first = FetchContract.Generated(7, "first");
        var second = FetchContract.Generated(4, "second");
        var a = await peer.MailboxAsync(first);
        var b = await peer.MailboxAsync(second);
        var config = Path.Combine(dir.Path, "fetch.json");
        await File.WriteAllTextAsync(config, $$"""
            {
              "Accounts": {
                "a": { "Server": "{{a.Spec}}", "Maildir": "mail/a", "State": "state/a.sqlite", "PasswordEnv": "PW_A" },
                "b": { "Server": "{{b.Spec}}", "Mbox": "mail/b.mbox", "State": "state/b.sqlite", "PasswordEnv": "PW_B" }
              }
            }
            """);

        var run = await PopgateCli.RunAsync(new Dictionary<string, string> { ["PW_A"] = a.Password, ["PW_B"] = b.Password }, "fetch", "--config", config);

        Assert.True(run.ExitCode == 0, run.ToString());
        Delivered.AssertSameMessages(first.Select(m => Delivered.Expected(m, crlf: false)), Delivered.Maildir(Path.Combine(dir.Path, "mail", "a")));
        Delivered.AssertSameMessages(second.Select(m => Delivered.Expected(m, crlf: false)), Delivered.Mbox(Path.Combine(dir.Path, "mail", "b.mbox")));
        Assert.Equal(0, a.ServerCount());
        Assert.Equal(0, b.ServerCount());
        Assert.Contains("a: fetched 7,", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("b: fetched 4,", run.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_config_mistake_names_the_key_and_line_and_exits_2()
    {
        using var dir = new TempDir("fetch-config");
        var config = Path.Combine(dir.Path, "fetch.json");
        await File.WriteAllTextAsync(config, "{\n  \"Accounts\": {\n    \"a\": {\n      \"Server\": \"tcp:u@127.0.0.1:1\",\n      \"Maildir\": \"m\",\n      \"Keepp\": true\n    }\n  }\n}\n");
        var run = await PopgateCli.RunAsync(null, "fetch", "--config", config);
        Assert.True(run.ExitCode == 2, run.ToString());
        var line = Assert.Single(run.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Accounts:a:Keepp", line, StringComparison.Ordinal);
        Assert.Contains("6", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("refused", 3)]
    [InlineData("dns", 3)]
    [InlineData("tls", 4)]
    [InlineData("usage", 2)]
    public async Task Failures_to_reach_the_server_are_one_line_with_their_own_exit_status(string failure, int status)
    {
        using var dir = new TempDir("fetch-fail");
        var mailbox = await peer.MailboxAsync(FetchContract.Generated(1, failure));
        var maildir = Path.Combine(dir.Path, "Maildir");
        string[] arguments = failure switch
        {
            "refused" => [$"tcp:u@127.0.0.1:{FreePort.Next()}", maildir],
            "dns" => ["tcp:u@no-such-host.invalid:110", maildir],
            "tls" => [$"ssl:{mailbox.User}@127.0.0.1:{peer.Server.TlsPort}", maildir],
            _ => [mailbox.Spec],
        };

        var run = await FetchProcess.RunAsync(mailbox, [.. arguments, "--state", Path.Combine(dir.Path, "state.sqlite")]);

        Assert.True(run.ExitCode == status, run.ToString());
        var line = Assert.Single(run.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("popgate fetch: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", line, StringComparison.Ordinal);
        Assert.Equal(1, mailbox.ServerCount());
    }

    [Theory]
    [InlineData("ssl")]
    [InlineData("starttls")]
    public async Task A_pinned_certificate_is_accepted_over_implicit_tls_and_stls(string security)
    {
        using var dir = new TempDir("fetch-tls");
        var messages = FetchContract.Generated(3, "tls");
        var mailbox = await peer.MailboxAsync(messages);
        var pem = await File.ReadAllTextAsync(peer.Server.Certificate.CertificatePath);
        using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(pem);
        var maildir = Path.Combine(dir.Path, "Maildir");

        var port = security == "ssl" ? peer.Server.TlsPort : peer.Server.Port;
        var run = await FetchProcess.RunAsync(mailbox, $"{security}:{mailbox.User}@127.0.0.1:{port}", maildir,
            "--fingerprint", PopGate.Client.CertificateFingerprint.Sha256(certificate), "--state", Path.Combine(dir.Path, "state.sqlite"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Delivered.AssertSameMessages(messages.Select(m => Delivered.Expected(m, crlf: false)), Delivered.Maildir(maildir));
        Assert.Equal(0, mailbox.ServerCount());
    }
}
