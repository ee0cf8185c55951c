namespace PopGate.Bench.Download;

/// <summary>
/// One run of one downloader: where the server is (the proxy), whose mail to take, the fresh Maildir to deliver
/// into, and a scratch folder for the tool's configuration and state. Both folders belong to <see cref="RunAs"/>.
/// </summary>
public sealed record DownloadJob(int Port, string User, string Password, string Destination, string State, TimeSpan Timeout)
{
    /// <summary>Downloaders run as an ordinary user, as in real life (getmail refuses to deliver as root).</summary>
    public const string RunAs = "nobody";
}
