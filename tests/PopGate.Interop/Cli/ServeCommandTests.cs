using System.Text;
using PopGate.Testing;

namespace PopGate.Interop.Cli;

/// <summary>`popgate serve` and `popgate passwd` as a user runs them: configuration errors, the demo, signals, locks.</summary>
public sealed class ServeCommandTests
{
    private static Task<ProcessResult> PopgateAsync(TimeSpan timeout, string? stdin, params string[] arguments)
    {
        var (file, prefix) = PopGateServer.Command();
        return ProcessRunner.RunAsync(file, [.. prefix, .. arguments], timeout, stdin);
    }

    [Theory]
    [InlineData("{\n  \"Listen\": [\"127.0.0.1:1\"],\n  \"Limits\": {\n    \"MaxConnections\": \"lots\"\n  }\n}\n", "Limits:MaxConnections", 4)]
    [InlineData("{\n  \"Limts\": {}\n}\n", "Limts", 2)]
    [InlineData("{\n  \"Listen\": [\"127.0.0.1:1\", \"nonsense\"]\n}\n", "Listen:1", 2)]
    [InlineData("{\n  \"Store\": { \"Type\": \"maildir\" }\n}\n", "Store:Path", 2)]
    [InlineData("{\n  \"Store\": { \"Type\": \"floppy\", \"Path\": \"/x\" }\n}\n", "Store:Type", 2)]
    [InlineData("{\n  \"Listen\": [\"127.0.0.1:1\"],\n  \"UsersFile\": \"u\"\n  \"Store\": {}\n}\n", "syntax", 4)]
    public async Task A_bad_configuration_names_the_key_and_the_line(string json, string key, int line)
    {
        using var dir = new TempDir("popgate-config");
        var config = Path.Combine(dir.Path, "popgate.json");
        await File.WriteAllTextAsync(config, json);
        var result = await PopgateAsync(TimeSpan.FromSeconds(30), null, "serve", "--config", config);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(key, result.StdErr, StringComparison.Ordinal);
        Assert.Contains($"popgate.json:{line}:", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_demo_serves_its_sample_mail_on_the_given_ports()
    {
        using var data = new TempDir("popgate-demo");
        var port = FreePort.Next();
        var tlsPort = FreePort.Next();
        var (file, prefix) = PopGateServer.Command();
        using var process = System.Diagnostics.Process.Start(ProcessRunner.StartInfo(file, [.. prefix, "serve", "--data-dir", data.Path, "--listen", $"127.0.0.1:{port}", "--tls-listen", $"127.0.0.1:{tlsPort}"]))!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        try
        {
            await FreePort.WaitListeningAsync(tlsPort, TimeSpan.FromSeconds(30), () => !process.HasExited);
            var list = await ProcessRunner.RunAsync(PeerProgram.Require("curl"), ["-sS", "-u", "demo:demo", $"pop3://127.0.0.1:{port}/"], TimeSpan.FromSeconds(30));
            Assert.Equal(4, list.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            var tls = await ProcessRunner.RunAsync(
                PeerProgram.Require("curl"),
                ["-sS", "--cacert", Path.Combine(data.Path, "demo", "cert.pem"), "-u", "demo:demo", $"pop3s://127.0.0.1:{tlsPort}/2"],
                TimeSpan.FromSeconds(30));
            Assert.Contains("..and this one starts with two dots.", tls.StdOut, StringComparison.Ordinal);
            lock (output)
            {
                Assert.Contains("user demo, password demo", output.ToString(), StringComparison.Ordinal);
            }

            Assert.Contains("demo:{PBKDF2-SHA256}$", await File.ReadAllTextAsync(Path.Combine(data.Path, "demo", "users")), StringComparison.Ordinal);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Sigterm_stops_the_server_without_applying_pending_deletions()
    {
        await using var server = await PopGateServer.StartAsync();
        var user = await server.AddMaildirUserAsync([Encoding.ASCII.GetBytes("Subject: a\n\nA\n"), Encoding.ASCII.GetBytes("Subject: b\n\nB\n")]);
        await using var pending = await RawPop3Client.ConnectAsync(server.Port);
        await pending.ReadLineAsync();
        Assert.StartsWith("+OK", await pending.CommandAsync($"USER {user.Name}"));
        Assert.StartsWith("+OK", await pending.CommandAsync($"PASS {user.Password}"));
        Assert.StartsWith("+OK", await pending.CommandAsync("DELE 1"));

        Assert.Equal(0, await server.StopAsync(TimeSpan.FromSeconds(30)));
        Assert.StartsWith("-ERR", await pending.ReadLineAsync());
        Assert.True(await pending.IsClosedAsync());
        Assert.Equal(2, user.MaildirCount());
    }

    [Fact]
    public async Task Passwd_writes_a_hash_the_server_accepts_and_keeps_other_lines()
    {
        await using var server = await PopGateServer.StartAsync();
        var other = await server.AddMaildirUserAsync([Encoding.ASCII.GetBytes("Subject: x\n\nx\n")]);
        var result = await PopgateAsync(TimeSpan.FromSeconds(60), "correct horse\n", "passwd", other.Name, "--users", server.UsersFile);
        Assert.True(result.ExitCode == 0, result.ToString());
        var text = await File.ReadAllTextAsync(server.UsersFile);
        Assert.Contains($"{other.Name}:{{PBKDF2-SHA256}}$", text, StringComparison.Ordinal);
        Assert.DoesNotContain("correct horse", text, StringComparison.Ordinal);
        Assert.Contains("# users added by the tests", text, StringComparison.Ordinal);
        // The user's own mail field survived the password change.
        Assert.Contains($"mail=maildir:{other.Maildir}", text, StringComparison.Ordinal);

        await using var client = await RawPop3Client.ConnectAsync(server.Port);
        await client.ReadLineAsync();
        Assert.StartsWith("+OK", await client.CommandAsync($"USER {other.Name}"));
        Assert.StartsWith("-ERR [AUTH]", await client.CommandAsync($"PASS {other.Password}"));
        Assert.StartsWith("+OK", await client.CommandAsync($"USER {other.Name}"));
        Assert.Matches(@"^\+OK .* has 1 messages", await client.CommandAsync("PASS correct horse"));
    }

    [Fact]
    public async Task The_maildrop_lock_holds_across_processes()
    {
        await using var first = await PopGateServer.StartAsync();
        var user = await first.AddMaildirUserAsync([Encoding.ASCII.GetBytes("Subject: x\n\nx\n")]);
        await using var second = await PopGateServer.StartAsync();
        await File.AppendAllTextAsync(second.UsersFile, $"{user.Name}:{{PLAIN}}{user.Password}::::::mail=maildir:{user.Maildir}\n");

        await using var a = await RawPop3Client.ConnectAsync(first.Port);
        await a.ReadLineAsync();
        await a.CommandAsync($"USER {user.Name}");
        Assert.StartsWith("+OK", await a.CommandAsync($"PASS {user.Password}"));

        await using var b = await RawPop3Client.ConnectAsync(second.Port);
        await b.ReadLineAsync();
        await b.CommandAsync($"USER {user.Name}");
        Assert.StartsWith("-ERR [IN-USE]", await b.CommandAsync($"PASS {user.Password}"));

        a.Abort();
        // Once the first process lets go, the second one gets the maildrop.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        string answer;
        do
        {
            await b.CommandAsync($"USER {user.Name}");
            answer = await b.CommandAsync($"PASS {user.Password}");
        }
        while (!answer.StartsWith("+OK", StringComparison.Ordinal) && DateTime.UtcNow < deadline && await Task.Delay(100).ContinueWith(_ => true));
        Assert.StartsWith("+OK", answer);
    }
}

/// <summary>Secrets never reach the log, even at the most verbose level.</summary>
public sealed class LogSecrecyTests
{
    [Fact]
    public async Task Passwords_and_sasl_payloads_are_never_logged()
    {
        const string password = "Sup3r-Secret-Pa55";
        await using var gateway = await GatewayProcess.StartAsync((folder, port) => new Dictionary<string, object>
        {
            ["Listen"] = new[] { $"127.0.0.1:{port}" },
            ["UsersFile"] = GatewayProcess.WriteUsers(folder, ("alice", password)),
            ["Store"] = new { Type = "maildir", Path = Path.Combine(folder, "Maildir") },
            ["Auth"] = new { FailureDelaySeconds = 0.01, MaxFailureDelaySeconds = 0.05 },
            ["Logging"] = new { LogLevel = new { Default = "Trace" } },
        });
        var plain = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0alice\0{password}"));
        var wrongPlain = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0alice\0{password}x"));
        await using (var client = await RawPop3Client.ConnectAsync(gateway.Port))
        {
            await client.ReadLineAsync();
            await client.CommandAsync("USER alice");
            Assert.StartsWith("-ERR", await client.CommandAsync($"PASS {password}-wrong"));
            Assert.StartsWith("-ERR", await client.CommandAsync($"AUTH PLAIN {wrongPlain}"));
            Assert.StartsWith("+OK", await client.CommandAsync($"AUTH PLAIN {plain}"));
            Assert.StartsWith("+OK", await client.CommandAsync("QUIT"));
        }

        await using (var client = await RawPop3Client.ConnectAsync(gateway.Port))
        {
            await client.ReadLineAsync();
            await client.CommandAsync("USER alice");
            Assert.StartsWith("+OK", await client.CommandAsync($"PASS {password}"));
        }

        await Task.Delay(300);
        var log = gateway.Output;
        Assert.Contains("alice", log, StringComparison.Ordinal);
        Assert.DoesNotContain(password, log, StringComparison.Ordinal);
        Assert.DoesNotContain(plain, log, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongPlain, log, StringComparison.Ordinal);
    }
}
