using System.Diagnostics;
using System.Text;

namespace PopGate.Testing;

/// <summary>
/// `popgate serve` as a real process on free loopback ports (plain with STLS, and implicit TLS), with a users file
/// the tests add users to while it runs (the server rereads it at each login). Each user gets a maildrop of its own.
/// </summary>
public sealed class PopGateServer : IAsyncDisposable
{
    private readonly TempDir _dir;
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private int _users;

    private PopGateServer(TempDir dir, Process process, int port, int tlsPort, SelfSignedPem.Files certificate)
    {
        _dir = dir;
        _process = process;
        Port = port;
        TlsPort = tlsPort;
        Certificate = certificate;
    }

    public int Port { get; }
    public int TlsPort { get; }
    public SelfSignedPem.Files Certificate { get; }
    public string Folder => _dir.Path;
    public string UsersFile => Path.Combine(_dir.Path, "users");

    /// <summary>The server process (it starts no others).</summary>
    public int ProcessId => _process.Id;

    /// <summary>What the server printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The command line of the built `popgate` (the CLI assembly next to the test assembly), or of the
    /// program given (a native build).</summary>
    public static (string File, string[] Prefix) Command(string? program = null)
    {
        if (program is not null)
        {
            return (program, []);
        }

        var dll = Path.Combine(AppContext.BaseDirectory, "PopGate.Cli.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} not found: the test project must reference src/PopGate.Cli");
        }

        return ("dotnet", [dll]);
    }

    public static Task<PopGateServer> StartAsync(params string[] extraArguments) => StartProgramAsync(null, extraArguments);

    /// <summary>Starts `popgate serve` from <paramref name="program"/> (a native build), or the built one when null.</summary>
    public static async Task<PopGateServer> StartProgramAsync(string? program, params string[] extraArguments)
    {
        var dir = new TempDir("popgate-serve");
        var certificate = await SelfSignedPem.WriteAsync(dir.Sub("tls"), "localhost");
        var users = Path.Combine(dir.Path, "users");
        await File.WriteAllTextAsync(users, "# users added by the tests\n");
        var port = FreePort.Next();
        var tlsPort = FreePort.Next();
        var (file, prefix) = Command(program);
        string[] arguments =
        [
            .. prefix, "serve",
            "--listen", $"127.0.0.1:{port}", "--tls-listen", $"127.0.0.1:{tlsPort}",
            "--users", users, "--cert", certificate.CertificatePath, "--key", certificate.KeyPath,
            "--maildir", Path.Combine(dir.Path, "default-maildir"),
            .. extraArguments,
        ];
        var start = ProcessRunner.StartInfo(file, arguments);
        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start popgate");
        var server = new PopGateServer(dir, process, port, tlsPort, certificate);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await FreePort.WaitListeningAsync(tlsPort, TimeSpan.FromSeconds(30), () => !process.HasExited);
            if (process.HasExited)
            {
                throw new InvalidOperationException($"popgate serve exited with {process.ExitCode}:\n{server.Output}");
            }
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    /// <summary>Adds a user whose maildrop is a new Maildir holding the given messages (files named in order).</summary>
    public async Task<TestUser> AddMaildirUserAsync(IEnumerable<byte[]> messages, string? name = null, string? password = null)
    {
        var n = Interlocked.Increment(ref _users);
        name ??= $"user{n}";
        password ??= $"pw-{n}-secret";
        var maildir = Path.Combine(_dir.Path, "mail", name);
        foreach (var sub in new[] { "tmp", "new", "cur" })
        {
            Directory.CreateDirectory(Path.Combine(maildir, sub));
        }

        var i = 0;
        foreach (var message in messages)
        {
            var fileName = $"{1_700_000_000 + i}.M{i}P{n}.test";
            await File.WriteAllBytesAsync(Path.Combine(maildir, "new", fileName), message);
            i++;
        }

        await AppendUserAsync($"{name}:{{PLAIN}}{password}::::::mail=maildir:{maildir}");
        return new TestUser(name, password, maildir, null);
    }

    /// <summary>Adds a user whose maildrop is an mbox file with the given bytes.</summary>
    public async Task<TestUser> AddMboxUserAsync(byte[] mbox, string? name = null, string? password = null)
    {
        var n = Interlocked.Increment(ref _users);
        name ??= $"user{n}";
        password ??= $"pw-{n}-secret";
        var path = Path.Combine(_dir.Sub("mbox"), name);
        await File.WriteAllBytesAsync(path, mbox);
        await AppendUserAsync($"{name}:{{PLAIN}}{password}::::::mail=mbox:{path}");
        return new TestUser(name, password, null, path);
    }

    /// <summary>Adds users whose Maildirs already exist, each with a users-file password field such as "{PLAIN}secret".</summary>
    public async Task AddMaildirAccountsAsync(IEnumerable<(string Name, string StoredPassword, string Maildir)> accounts)
    {
        var lines = accounts.Select(a => $"{a.Name}:{a.StoredPassword}::::::mail=maildir:{a.Maildir}\n");
        await File.AppendAllTextAsync(UsersFile, string.Concat(lines));
    }

    private async Task AppendUserAsync(string line)
    {
        // Appending changes the file's size, which is how the server notices it at the next login.
        await File.AppendAllTextAsync(UsersFile, line + "\n");
    }

    /// <summary>Sends SIGTERM and waits for the process to end; returns its exit code.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            await ProcessRunner.RunAsync("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(5));
            using var cts = new CancellationTokenSource(timeout);
            await _process.WaitForExitAsync(cts.Token);
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _dir.Dispose();
    }
}

/// <summary>An account made by a test: its credentials and where its mail is.</summary>
public sealed record TestUser(string Name, string Password, string? Maildir, string? Mbox)
{
    /// <summary>Message files left in the Maildir (new/ and cur/).</summary>
    public int MaildirCount() =>
        Directory.GetFiles(Path.Combine(Maildir!, "new")).Length + Directory.GetFiles(Path.Combine(Maildir!, "cur")).Length;
}
