using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace PopGate.Testing;

/// <summary>
/// `popgate jmap-serve` as a real process on a free loopback port over a Maildir per user (root/%u), with a users
/// file of {PLAIN} passwords. Users are added while it runs (the server rereads the users file).
/// </summary>
public sealed partial class JmapServeProcess : IAsyncDisposable
{
    private readonly TempDir _dir;
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _users;
    private int _files;

    private JmapServeProcess(TempDir dir, Process process)
    {
        _dir = dir;
        _process = process;
    }

    /// <summary>"http(s)://127.0.0.1:port/".</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public string MailRoot => Path.Combine(_dir.Path, "mail");

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

    /// <param name="program">A native `popgate` to run instead of the built one.</param>
    public static async Task<JmapServeProcess> StartAsync(bool tls = false, string? program = null)
    {
        var dir = new TempDir("jmap-serve");
        Directory.CreateDirectory(Path.Combine(dir.Path, "mail"));
        var users = Path.Combine(dir.Path, "users");
        await File.WriteAllTextAsync(users, "# users added by the tests\n");
        File.SetUnixFileMode(users, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var (file, prefix) = PopGateServer.Command(program);
        var arguments = new List<string>(prefix)
        {
            "jmap-serve", "--maildir", Path.Combine(dir.Path, "mail", "%u"), "--users", users, "--listen", "127.0.0.1:0",
        };
        if (tls)
        {
            var pem = await SelfSignedPem.WriteAsync(dir.Sub("tls"), "localhost");
            arguments.AddRange(["--cert", pem.CertificatePath, "--key", pem.KeyPath]);
        }

        var process = Process.Start(ProcessRunner.StartInfo(file, arguments)) ?? throw new InvalidOperationException("cannot start popgate");
        var server = new JmapServeProcess(dir, process);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var ready = await Task.WhenAny(server._listening.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(30)));
            if (ready != server._listening.Task)
            {
                throw new InvalidOperationException($"popgate jmap-serve did not start:\n{server.Output}");
            }

            server.BaseUrl = await server._listening.Task;
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    /// <summary>A new user (name, password) whose Maildir holds the messages, named so that they sort in order.</summary>
    public async Task<(string User, string Password)> AddUserAsync(IEnumerable<byte[]> messages)
    {
        var n = Interlocked.Increment(ref _users);
        var (user, password) = ($"user{n}", $"pw-{n}-secret");
        var maildir = Path.Combine(MailRoot, user);
        foreach (var sub in new[] { "tmp", "new", "cur" })
        {
            Directory.CreateDirectory(Path.Combine(maildir, sub));
        }

        foreach (var message in messages)
        {
            var i = Interlocked.Increment(ref _files);
            await File.WriteAllBytesAsync(Path.Combine(maildir, "new", $"{1_700_000_000 + i}.M{i}.test"), message);
        }

        await File.AppendAllTextAsync(Path.Combine(_dir.Path, "users"), $"{user}:{{PLAIN}}{password}\n");
        return (user, password);
    }

    /// <summary>Message files left in a user's Maildir.</summary>
    public int CountMessages(string user) =>
        Directory.EnumerateFiles(Path.Combine(MailRoot, user, "new")).Count() + Directory.EnumerateFiles(Path.Combine(MailRoot, user, "cur")).Count();

    /// <summary>Sends SIGTERM and waits for the exit code (-1 when it did not exit in time).</summary>
    public async Task<int> TerminateAsync(TimeSpan wait)
    {
        await ProcessRunner.RunAsync("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10));
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return -1;
        }
    }

    [GeneratedRegex(@"listening on (\S+/) ")]
    private static partial Regex ListeningLine();

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
