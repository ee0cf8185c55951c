using System.Diagnostics;
using System.Text;

namespace PopGate.Testing;

/// <summary>What a finished process printed and returned.</summary>
public sealed record ProcessResult(int ExitCode, string StdOut, string StdErr, bool TimedOut)
{
    public override string ToString() => $"exit {ExitCode}{(TimedOut ? " (timed out)" : string.Empty)}\nstdout:\n{StdOut}\nstderr:\n{StdErr}";
}

/// <summary>Runs peer programs with a bound on their time, optionally as another user (getmail refuses root).</summary>
public static class ProcessRunner
{
    public static async Task<ProcessResult> RunAsync(
        string file,
        IEnumerable<string> arguments,
        TimeSpan timeout,
        string? stdin = null,
        IDictionary<string, string>? environment = null,
        string? workingDirectory = null,
        string? asUser = null)
    {
        var start = StartInfo(file, arguments, environment, workingDirectory, asUser);
        start.RedirectStandardInput = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (stdout) { stdout.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (stderr) { stderr.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin).ConfigureAwait(false);
        }

        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            timedOut = true;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().ConfigureAwait(false);
        }

        // Let the asynchronous readers drain.
        process.WaitForExit();
        lock (stdout)
        {
            lock (stderr)
            {
                return new ProcessResult(timedOut ? -1 : process.ExitCode, stdout.ToString(), stderr.ToString(), timedOut);
            }
        }
    }

    /// <summary>A start description; with <paramref name="asUser"/> the program runs through setpriv as that user.</summary>
    public static ProcessStartInfo StartInfo(string file, IEnumerable<string> arguments, IDictionary<string, string>? environment = null, string? workingDirectory = null, string? asUser = null)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asUser is not null && Environment.UserName == "root")
        {
            start.FileName = PeerProgram.Require("setpriv");
            foreach (var a in new[] { $"--reuid={asUser}", $"--regid={UserGroup(asUser)}", "--clear-groups", "--" })
            {
                start.ArgumentList.Add(a);
            }

            start.ArgumentList.Add(file);
        }
        else
        {
            start.FileName = file;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                start.Environment[key] = value;
            }
        }

        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        return start;
    }

    private static string UserGroup(string user) => user == "nobody" ? "nogroup" : user;

    /// <summary>Gives a folder tree to a user, so a peer running as that user can write there.</summary>
    public static async Task ChownAsync(string path, string user)
    {
        if (Environment.UserName != "root")
        {
            return;
        }

        var result = await RunAsync("chown", ["-R", $"{user}:{UserGroup(user)}", path], TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"chown failed: {result}");
        }
    }
}
