namespace PopGate.Bench.Download;

/// <summary>
/// getmail6 with its own Maildir delivery, deleting what it took, with the Delivered-To and Received headers it
/// would add turned off.
/// </summary>
public sealed class GetmailDownloader : IDownloader
{
    public string Name => "getmail";

    /// <summary>getmail parses each message with Python's email package and writes it out again; for the benchmark
    /// corpus (short header lines, LF line ends) the written bytes are the source's.</summary>
    public byte[] Expected(byte[] source) => LineEnds.ToLf(source);

    public async Task<ToolRun> RunAsync(DownloadJob job, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(Path.Combine(job.State, "getmailrc"), $"""
            [retriever]
            type = SimplePOP3Retriever
            server = 127.0.0.1
            port = {job.Port}
            username = {job.User}
            password = {job.Password}

            [destination]
            type = Maildir
            path = {job.Destination}/

            [options]
            read_all = true
            delete = true
            delivered_to = false
            received = false
            verbose = 0

            """, cancellationToken).ConfigureAwait(false);
        return await ToolProcess.RunAsync(job, "getmail", ["--rcfile", "getmailrc", "--getmaildir", job.State]).ConfigureAwait(false);
    }
}
