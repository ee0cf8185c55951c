namespace PopGate.Bench.Download;

/// <summary>`popgate fetch` (by default the build next to the benchmark), with its state store in the scratch folder.</summary>
public sealed class PopGateFetchDownloader(string? cliDll = null) : IDownloader
{
    private const string PasswordVariable = "POPGATE_BENCH_PASSWORD";

    /// <summary>The PopGate.Cli.dll run: the one built next to the benchmark unless another (a published one) is named.</summary>
    public string CliDll { get; } = cliDll ?? Path.Combine(AppContext.BaseDirectory, "PopGate.Cli.dll");

    public string Name => "popgate";

    public byte[] Expected(byte[] source) => LineEnds.ToLf(source);

    public Task<ToolRun> RunAsync(DownloadJob job, CancellationToken cancellationToken) =>
        ToolProcess.RunAsync(
            job,
            "dotnet",
            [
                CliDll, "fetch", $"tcp:{job.User}@127.0.0.1:{job.Port}", job.Destination,
                "--password-env", PasswordVariable, "--quiet", "--state", Path.Combine(job.State, "seen.db"),
            ],
            new Dictionary<string, string> { [PasswordVariable] = job.Password });
}
