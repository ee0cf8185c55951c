namespace PopGate.Bench.Download;

/// <summary>
/// `popgate fetch`: a native `popgate` or a PopGate.Cli.dll (run with dotnet). Its state store is either fresh for
/// every run (the first contact with a server) or kept in <paramref name="statePath"/> across runs, as a scheduled
/// fetch keeps it (the server's capabilities are then known and the login goes out with the connection).
/// </summary>
public sealed class PopGateFetchDownloader(string name, string program, string? statePath = null) : IDownloader
{
    private const string PasswordVariable = "POPGATE_BENCH_PASSWORD";

    /// <summary>The JIT build next to the benchmark.</summary>
    public static string BuiltDll => Path.Combine(AppContext.BaseDirectory, "PopGate.Cli.dll");

    public string Name => name;

    public string Program => program;

    public byte[] Expected(byte[] source) => LineEnds.ToLf(source);

    public Task<ToolRun> RunAsync(DownloadJob job, CancellationToken cancellationToken)
    {
        string[] fetch =
        [
            "fetch", $"tcp:{job.User}@127.0.0.1:{job.Port}", job.Destination,
            "--password-env", PasswordVariable, "--quiet", "--state", statePath ?? Path.Combine(job.State, "seen.db"),
        ];
        var environment = new Dictionary<string, string> { [PasswordVariable] = job.Password };
        return program.EndsWith(".dll", StringComparison.Ordinal)
            ? ToolProcess.RunAsync(job, "dotnet", [program, .. fetch], environment)
            : ToolProcess.RunAsync(job, program, fetch, environment);
    }
}
