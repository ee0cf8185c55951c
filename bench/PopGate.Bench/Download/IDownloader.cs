namespace PopGate.Bench.Download;

/// <summary>A POP3 downloader configured to take every message, deliver it into a Maildir and delete it on the server.</summary>
public interface IDownloader
{
    /// <summary>The name in the results: popgate, mpop, fetchmail or getmail.</summary>
    string Name { get; }

    /// <summary>Turns a message as the source stored it into what this tool writes for it into the Maildir.</summary>
    byte[] Expected(byte[] source);

    Task<ToolRun> RunAsync(DownloadJob job, CancellationToken cancellationToken);
}
