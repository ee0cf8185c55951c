using PopGate.Testing;

namespace PopGate.Bench.Download;

/// <summary>
/// fetchmail as it is commonly set up for a Maildir: an MDA (a small shell script, one fork per message) writes each
/// message into tmp/ and renames it into new/. No Received header (--invisible), no address rewriting.
/// </summary>
public sealed class FetchmailDownloader : IDownloader
{
    private const string Mda = """
        #!/bin/sh
        # One message on stdin into the Maildir $1: written under tmp/, then renamed, so readers never see half a file.
        name="$(date +%s).$$.fetchmail"
        cat >"$1/tmp/$name" && mv "$1/tmp/$name" "$1/new/$name"

        """;

    public string Name => "fetchmail";

    public byte[] Expected(byte[] source) => LineEnds.ToLf(source);

    public async Task<ToolRun> RunAsync(DownloadJob job, CancellationToken cancellationToken)
    {
        var mda = Path.Combine(job.State, "maildir-mda.sh");
        await File.WriteAllTextAsync(mda, Mda, cancellationToken).ConfigureAwait(false);
        var rc = Path.Combine(job.State, "fetchmailrc");
        await File.WriteAllTextAsync(rc, $"""
            set no syslog
            poll 127.0.0.1 service {job.Port} protocol pop3 auth password timeout 120
              user "{job.User}" there with password "{job.Password}" is "{DownloadJob.RunAs}" here
              nokeep fetchall sslproto ''
              mda "/bin/sh {mda} {job.Destination}"

            """, cancellationToken).ConfigureAwait(false);
        // fetchmail refuses a run-control file that others may read.
        File.SetUnixFileMode(rc, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var run = await ToolProcess.RunAsync(
            job,
            "fetchmail",
            ["-f", rc, "--idfile", Path.Combine(job.State, "ids"), "--pidfile", Path.Combine(job.State, "pid"), "--nodetach", "--invisible", "--norewrite", "--silent"],
            new Dictionary<string, string> { ["FETCHMAILHOME"] = job.State }).ConfigureAwait(false);
        // Exit 1 means "no mail": only a failure when mail was expected, which the delivery check catches.
        return run.ExitCode == 1 ? run with { ExitCode = 0 } : run;
    }
}
