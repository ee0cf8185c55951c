using PopGate.Testing;

namespace PopGate.Interop.Server;

/// <summary>Runs fetchmail once (fetch everything, delete, deliver through a tiny MDA into a folder).</summary>
internal static class FetchmailRunner
{
    /// <returns>The folder holding one file per delivered message.</returns>
    public static async Task<string> FetchAsync(int port, string user, string password, TempDir work, string tls = "sslproto ''")
    {
        var delivered = work.Sub("delivered");
        var mda = Path.Combine(work.Path, "mda.sh");
        await File.WriteAllTextAsync(mda, $"#!/bin/sh\nf=$(mktemp {delivered}/m.XXXXXX) && cat > \"$f\"\n");
        File.SetUnixFileMode(mda, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var rc = Path.Combine(work.Path, "fetchmailrc");
        await File.WriteAllTextAsync(rc, $"poll 127.0.0.1 protocol pop3 port {port} user \"{user}\" password \"{password.Replace("\"", "\\\"", StringComparison.Ordinal)}\" {tls} mda \"{mda}\"\n");
        File.SetUnixFileMode(rc, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var result = await ProcessRunner.RunAsync(
            PeerProgram.Require("fetchmail"),
            ["-f", rc, "--invisible", "--norewrite", "--nodetach", "-a", "-i", Path.Combine(work.Path, "ids"), "--pidfile", Path.Combine(work.Path, "pid")],
            TimeSpan.FromMinutes(3),
            environment: new Dictionary<string, string> { ["HOME"] = work.Path, ["FETCHMAILHOME"] = work.Path });
        // 0: mail fetched.
        Assert.True(result.ExitCode == 0, result.ToString());
        return delivered;
    }
}
