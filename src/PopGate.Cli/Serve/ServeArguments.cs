namespace PopGate.Cli.Serve;

/// <summary>The flags of `popgate serve`; each overrides the configuration file.</summary>
internal sealed record ServeArguments(
    string? ConfigFile,
    IReadOnlyList<string> Listen,
    IReadOnlyList<string> TlsListen,
    string? Maildir,
    string? Mbox,
    string? UsersFile,
    string? Certificate,
    string? Key,
    string? DataFolder)
{
    /// <summary>True when nothing says what to serve: run the demo (on --listen/--tls-listen when given).</summary>
    public bool IsDemo => ConfigFile is null && Maildir is null && Mbox is null && UsersFile is null;
}
