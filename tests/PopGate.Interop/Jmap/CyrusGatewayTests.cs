using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using PopGate.Testing;

namespace PopGate.Interop.Jmap;

/// <summary>`popgate serve` with a JMAP store in front of a private Cyrus, for poplib.</summary>
public sealed class CyrusGatewayFixture : IAsyncLifetime
{
    public const string PopUser = "popuser";
    public const string PopPassword = "pop-secret";
    public const string BadPopUser = "baduser";

    private readonly TempDir _dir = new("jmap-gateway");
    private Process? _serve;

    public CyrusServer Cyrus { get; private set; } = null!;
    public int Port { get; private set; }

    public async Task InitializeAsync()
    {
        Cyrus = await CyrusServer.StartAsync(new CyrusOptions { Tls = false, ExtraUsers = [("jpop", "pw-jpop")] });
        Port = FreePort.Next();
        var users = Path.Combine(_dir.Path, "users");
        await File.WriteAllTextAsync(users, $"{PopUser}:{{PLAIN}}{PopPassword}\n{BadPopUser}:{{PLAIN}}{PopPassword}\n");
        File.SetUnixFileMode(users, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var url = $"http://127.0.0.1:{Cyrus.HttpPort}/";
        var config = new
        {
            Listen = new[] { $"127.0.0.1:{Port}" },
            UsersFile = users,
            Store = new { Type = "jmap", Url = url, Auth = "basic", User = "jpop", Password = "pw-jpop", SizeMode = "measure" },
            Users = new Dictionary<string, object>
            {
                [BadPopUser] = new { Store = new { Type = "jmap", Url = url, Auth = "basic", User = "jpop", Password = "wrong" } },
            },
        };
        var configFile = Path.Combine(_dir.Path, "popgate.json");
        await File.WriteAllTextAsync(configFile, JsonSerializer.Serialize(config));
        var (file, prefix) = PopGateServer.Command();
        _serve = Process.Start(ProcessRunner.StartInfo(file, [.. prefix, "serve", "--config", configFile]))!;
        _serve.BeginOutputReadLine();
        _serve.BeginErrorReadLine();
        await FreePort.WaitListeningAsync(Port, TimeSpan.FromSeconds(30), () => !_serve.HasExited);
    }

    public async Task DisposeAsync()
    {
        if (_serve is { HasExited: false })
        {
            _serve.Kill(entireProcessTree: true);
            await _serve.WaitForExitAsync();
        }

        _serve?.Dispose();
        await Cyrus.DisposeAsync();
        _dir.Dispose();
    }
}

/// <summary>Python's poplib reads Cyrus through `popgate serve` and the JMAP store; Cyrus's IMAP is the reference.</summary>
public sealed class CyrusGatewayTests : IClassFixture<CyrusGatewayFixture>
{
    private readonly CyrusGatewayFixture _fixture;

    public CyrusGatewayTests(CyrusGatewayFixture fixture) => _fixture = fixture;

    private async Task<JsonElement> PoplibAsync(string user, string outDir, params int[] delete)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Scripts", "poplib_session.py");
        var result = await ProcessRunner.RunAsync(
            PeerProgram.Require("python3"),
            [script, "127.0.0.1", _fixture.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), user, CyrusGatewayFixture.PopPassword, "plain", outDir, .. delete.Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonDocument.Parse(result.StdOut).RootElement;
    }

    private static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    [Fact]
    public async Task Poplib_reads_cyrus_byte_exact_with_stable_uidls_and_quit_destroys_exactly_the_deleted()
    {
        SortedDictionary<long, byte[]> imapBodies;
        await using (var imap = await RawImap.LoginAsync(_fixture.Cyrus.ImapPort, "jpop", "pw-jpop"))
        {
            await imap.AppendAsync(CyrusJmapFixture.Messages(300, 40));
            imapBodies = await imap.FetchAllAsync();
        }

        var wire = imapBodies.Values.Select(b => Hash(TestCorpus.ToWire(b))).ToHashSet();
        using var first = new TempDir("poplib");
        var report = await PoplibAsync(CyrusGatewayFixture.PopUser, first.Path);
        var count = report.GetProperty("stat")[0].GetInt32();
        Assert.Equal(wire.Count, count);
        var listed = report.GetProperty("list").EnumerateArray().Select(l => long.Parse(l.GetString()!.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var fetched = new List<string>();
        for (var n = 1; n <= count; n++)
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(first.Path, n.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.Contains(Hash(bytes), wire);
            Assert.Equal(bytes.Length, listed[n - 1]);
            fetched.Add(Hash(bytes));
        }

        // A dropped connection after DELE removes nothing.
        var drop = await ProcessRunner.RunAsync(PeerProgram.Require("python3"),
        [
            "-c",
            "import poplib,sys; p=poplib.POP3('127.0.0.1', int(sys.argv[1]), timeout=30); p.user(sys.argv[2]); p.pass_(sys.argv[3]); p.dele(1); p.sock.close()",
            _fixture.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), CyrusGatewayFixture.PopUser, CyrusGatewayFixture.PopPassword,
        ], TimeSpan.FromSeconds(60));
        Assert.True(drop.ExitCode == 0, drop.ToString());

        using var second = new TempDir("poplib");
        var again = await PoplibAsync(CyrusGatewayFixture.PopUser, second.Path, 2, 5);
        Assert.Equal(
            report.GetProperty("uidl").EnumerateArray().Select(e => e.GetString()),
            again.GetProperty("uidl").EnumerateArray().Select(e => e.GetString()));
        Assert.StartsWith("+OK", again.GetProperty("quit").GetString(), StringComparison.Ordinal);

        await using var check = await RawImap.LoginAsync(_fixture.Cyrus.ImapPort, "jpop", "pw-jpop");
        var left = (await check.FetchAllAsync()).Values.Select(b => Hash(TestCorpus.ToWire(b))).ToHashSet();
        Assert.Equal(fetched.Where((_, i) => i != 1 && i != 4).Order(), left.Order());
    }

    [Fact]
    public async Task Credentials_the_upstream_refuses_give_ERR_AUTH()
    {
        var result = await ProcessRunner.RunAsync(PeerProgram.Require("python3"),
        [
            "-c",
            "import poplib,sys\np=poplib.POP3('127.0.0.1', int(sys.argv[1]), timeout=30); p.user(sys.argv[2])\ntry:\n  p.pass_(sys.argv[3]); print('accepted')\nexcept poplib.error_proto as e:\n  print(e.args[0].decode())",
            _fixture.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), CyrusGatewayFixture.BadPopUser, CyrusGatewayFixture.PopPassword,
        ], TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("-ERR [AUTH]", result.StdOut.Trim(), StringComparison.Ordinal);
    }
}
