using System.Text;
using PopGate.Auth;
using PopGate.Testing;

namespace PopGate.Tests.Auth;

/// <summary>Users file set up once: entries of every kind that can serve SCRAM-SHA-256.</summary>
public sealed class ScramUsersFixture : IAsyncLifetime
{
    public const int Iterations = 4096;

    private readonly TempDir _dir = new("popgate-scram");

    public UserDatabase Users { get; private set; } = null!;

    public string ScriptPath => Path.Combine(_dir.Path, "scram_client.py");

    public async Task InitializeAsync()
    {
        var doveadm = PeerProgram.Require("doveadm");
        var dovecot = await ProcessRunner.RunAsync(doveadm, ["pw", "-s", "SCRAM-SHA-256", "-p", "dovecot pw"], TimeSpan.FromSeconds(30));
        Assert.True(dovecot.ExitCode == 0, dovecot.ToString());

        // Low iteration counts keep the class fast; one entry is made the way `popgate passwd` makes them.
        var path = Path.Combine(_dir.Path, "users");
        await File.WriteAllTextAsync(
            path,
            $"dove:{dovecot.StdOut.Trim()}\nplain:{{PLAIN}}cléar\n"
                + $"pbkdf2:{PasswordHasher.HashPbkdf2("pencil", Iterations)}\na,b=c:{PasswordHasher.HashPbkdf2("comma user", Iterations)}\n",
            new UTF8Encoding(false));
        await UserDatabase.SetPasswordAsync(path, "jürgen", "pässwörd", CancellationToken.None);
        Users = UserDatabase.Load(path, new UserDatabaseOptions { ScramIterations = Iterations });
        await File.WriteAllTextAsync(ScriptPath, ScramClientScript);
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }

    // An independent SCRAM-SHA-256 client (RFC 5802 §3) on Python's hashlib and hmac.
    private const string ScramClientScript = """
        import sys, base64, hashlib, hmac
        mode, user, password, cnonce = sys.argv[1], sys.argv[2], base64.b64decode(sys.argv[3]), sys.argv[4]
        bare = 'n=' + user.replace('=', '=3D').replace(',', '=2C') + ',r=' + cnonce
        if mode == 'first':
            print('n,,' + bare)
            sys.exit(0)
        server_first = sys.argv[5]
        attrs = dict(a.split('=', 1) for a in server_first.split(','))
        if not (attrs['r'].startswith(cnonce) and len(attrs['r']) > len(cnonce)):
            sys.exit('server nonce does not extend the client nonce')
        salted = hashlib.pbkdf2_hmac('sha256', password, base64.b64decode(attrs['s']), int(attrs['i']))
        client_key = hmac.new(salted, b'Client Key', hashlib.sha256).digest()
        stored_key = hashlib.sha256(client_key).digest()
        without_proof = 'c=' + base64.b64encode(b'n,,').decode() + ',r=' + attrs['r']
        auth = (bare + ',' + server_first + ',' + without_proof).encode()
        signature = hmac.new(stored_key, auth, hashlib.sha256).digest()
        proof = bytes(a ^ b for a, b in zip(client_key, signature))
        server_key = hmac.new(salted, b'Server Key', hashlib.sha256).digest()
        print(without_proof + ',p=' + base64.b64encode(proof).decode())
        print('v=' + base64.b64encode(hmac.new(server_key, auth, hashlib.sha256).digest()).decode())
        """;
}

public class ScramPythonClientTests(ScramUsersFixture fixture) : IClassFixture<ScramUsersFixture>
{
    [Theory]
    [InlineData("pbkdf2", "pencil")]
    [InlineData("dove", "dovecot pw")]
    [InlineData("plain", "cléar")]
    [InlineData("a,b=c", "comma user")]
    [InlineData("jürgen", "pässwörd")]
    public async Task Python_client_and_our_server_agree(string user, string password)
    {
        var (serverFinal, expectedServerFinal, server) = await ExchangeAsync(user, password);
        Assert.True(serverFinal.Succeeded, serverFinal.Error);
        Assert.Equal(expectedServerFinal, Encoding.UTF8.GetString(serverFinal.Message));
        Assert.True(server.IsAuthenticated);
        Assert.Equal(user, server.UserName);
    }

    [Theory]
    [InlineData("pbkdf2", "Pencil")]
    [InlineData("dove", "dovecot")]
    [InlineData("plain", "clear")]
    [InlineData("ghost", "pencil")]
    public async Task A_wrong_password_or_unknown_user_fails(string user, string password)
    {
        var (serverFinal, _, server) = await ExchangeAsync(user, password);
        Assert.False(serverFinal.Succeeded);
        Assert.Equal("invalid-proof", serverFinal.Error);
        Assert.False(server.IsAuthenticated);
    }

    private async Task<(ScramStep Final, string Expected, ScramSha256Server Server)> ExchangeAsync(string user, string password)
    {
        var clientNonce = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(18));
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(password));
        var first = await PythonAsync(["first", user, encoded, clientNonce]);

        var server = new ScramSha256Server(new ScramServerOptions { FakeIterations = ScramUsersFixture.Iterations });
        var serverFirst = server.Start(Encoding.UTF8.GetBytes(first[0]), name =>
            fixture.Users.TryGet(name, out var entry) ? fixture.Users.GetScramSha256(entry) : null);
        Assert.True(serverFirst.Succeeded, serverFirst.Error);

        var final = await PythonAsync(["final", user, encoded, clientNonce, Encoding.UTF8.GetString(serverFirst.Message)]);
        return (server.Finish(Encoding.UTF8.GetBytes(final[0])), final[1], server);
    }

    private async Task<string[]> PythonAsync(IEnumerable<string> arguments)
    {
        var python = PeerProgram.Require("python3");
        var result = await ProcessRunner.RunAsync(
            python,
            [fixture.ScriptPath, .. arguments],
            TimeSpan.FromSeconds(30),
            environment: new Dictionary<string, string> { ["PYTHONIOENCODING"] = "utf-8", ["PYTHONUTF8"] = "1" });
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
