using System.Diagnostics;
using PopGate.Interop.Client;
using PopGate.Testing;

namespace PopGate.Interop.Fetch;

/// <summary>Runs `popgate fetch` as a real process: to completion, or started to be killed.</summary>
public static class FetchProcess
{
    public const string PasswordVariable = "POPGATE_FETCH_TEST_PASSWORD";

    public static Task<CliResult> RunAsync(FetchMailbox mailbox, params string[] arguments) =>
        PopgateCli.RunAsync(Environment(mailbox), ["fetch", .. arguments, "--password-env", PasswordVariable]);

    /// <summary>Starts a fetch whose output is drained and dropped; the caller waits or kills it.</summary>
    public static Process Start(FetchMailbox mailbox, params string[] arguments)
    {
        var (file, prefix) = PopGateServer.Command();
        var start = ProcessRunner.StartInfo(file, [.. prefix, "fetch", .. arguments, "--password-env", PasswordVariable, "--quiet"], Environment(mailbox));
        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start popgate fetch");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static Dictionary<string, string> Environment(FetchMailbox mailbox) => new() { [PasswordVariable] = mailbox.Password };
}
