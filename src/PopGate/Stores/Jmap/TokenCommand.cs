using System.Diagnostics;
using PopGate.Protocol;

namespace PopGate.Stores.Jmap;

/// <summary>Gets a Bearer token from a command's standard output (an OAuth2 helper, a password manager...).</summary>
internal static class TokenCommand
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    public static async ValueTask<string> RunAsync(string command, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using var process = Process.Start(start) ?? throw new MaildropException(ResponseCodes.SysTemp, "cannot run the token command");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Limit);
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            _ = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            var token = (await output.ConfigureAwait(false)).Trim();
            return process.ExitCode == 0 && token.Length > 0
                ? token
                : throw new MaildropException(ResponseCodes.SysTemp, $"the token command failed (exit {process.ExitCode})");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new MaildropException(ResponseCodes.SysTemp, "the token command took too long");
        }
    }
}
