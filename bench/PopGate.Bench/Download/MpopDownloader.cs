namespace PopGate.Bench.Download;

/// <summary>
/// mpop, the pipelining downloader to beat: its own Maildir delivery (with fsync), no Received header, UIDLs kept in
/// the scratch folder, pipelining left to its own judgement ("auto" uses it when the server offers PIPELINING).
/// </summary>
public sealed class MpopDownloader : IDownloader
{
    public string Name => "mpop";

    public byte[] Expected(byte[] source) => LineEnds.ToLf(source);

    public async Task<ToolRun> RunAsync(DownloadJob job, CancellationToken cancellationToken)
    {
        var config = Path.Combine(job.State, "mpoprc");
        await File.WriteAllTextAsync(config, $"""
            account bench
            host 127.0.0.1
            port {job.Port}
            tls off
            auth user
            user {job.User}
            password {job.Password}
            pipelining auto
            received_header off
            keep off
            only_new off
            uidls_file {Path.Combine(job.State, "uidls")}
            delivery maildir {job.Destination}

            """, cancellationToken).ConfigureAwait(false);
        // mpop refuses a configuration holding a password that others may read.
        File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return await ToolProcess.RunAsync(job, "mpop", ["-C", config, "-q", "bench"]).ConfigureAwait(false);
    }
}
