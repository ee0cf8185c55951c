namespace PopGate.Bench.Download;

/// <summary>`popgate fetch` from the build next to the benchmark, with its seen-store in the scratch folder.</summary>
public sealed class PopGateFetchDownloader : IDownloader
{
    private const string PasswordVariable = "POPGATE_BENCH_PASSWORD";

    public string Name => "popgate";

    public byte[] Expected(byte[] source) => LineEnds.ToLf(source);

    public Task<ToolRun> RunAsync(DownloadJob job, CancellationToken cancellationToken) =>
        ToolProcess.RunAsync(
            job,
            "dotnet",
            [
                Path.Combine(AppContext.BaseDirectory, "PopGate.Cli.dll"), "fetch", $"tcp:{job.User}@127.0.0.1:{job.Port}", job.Destination,
                "--password-env", PasswordVariable, "--quiet", "--state", Path.Combine(job.State, "seen.db"),
            ],
            new Dictionary<string, string> { [PasswordVariable] = job.Password });
}
