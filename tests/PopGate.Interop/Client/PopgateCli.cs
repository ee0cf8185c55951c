using System.Diagnostics;
using PopGate.Testing;

namespace PopGate.Interop.Client;

/// <summary>What a `popgate` run printed (standard output as bytes) and returned.</summary>
public sealed record CliResult(int ExitCode, byte[] StdOutBytes, string StdErr)
{
    public string StdOut => System.Text.Encoding.UTF8.GetString(StdOutBytes);

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{StdOut}\nstderr:\n{StdErr}";
}

/// <summary>Runs the built `popgate` as a real process.</summary>
public static class PopgateCli
{
    public static async Task<CliResult> RunAsync(IDictionary<string, string>? environment, params string[] arguments)
    {
        var (file, prefix) = PopGateServer.Command();
        var start = ProcessRunner.StartInfo(file, [.. prefix, .. arguments], environment);
        start.RedirectStandardInput = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start popgate");
        process.StandardInput.Close();
        var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"popgate {string.Join(' ', arguments)} did not finish");
        }

        await copy;
        return new CliResult(process.ExitCode, stdout.ToArray(), await stderr);
    }
}
