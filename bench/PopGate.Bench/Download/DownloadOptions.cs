namespace PopGate.Bench.Download;

/// <summary>What the download benchmark runs.</summary>
public sealed record DownloadOptions
{
    public static readonly string[] AllTools = ["popgate", "mpop", "fetchmail", "getmail"];

    /// <summary>Besides "popgate" (the build given, a fresh state store each run): the same build with its state store
    /// kept from an earlier run against the server, and the JIT build next to the benchmark.</summary>
    public static readonly string[] PopGateVariants = ["popgate-known", "popgate-jit"];

    /// <summary>
    /// fetchmail and getmail wait a round trip or more per message and fork per delivery, so they take 200 messages
    /// at 0 ms and 50 ms RTT and 20 at 300 ms RTT (about 20 s each there); popgate and mpop take 1,000 at 0 ms and
    /// 200 at the other delays, and are also run on the smaller counts so that every cell has an mpop figure.
    /// </summary>
    public static readonly DownloadCell[] DefaultCells =
    [
        new(0, 1000, ["popgate", "popgate-known", "mpop"]),
        new(0, 200, [.. AllTools, .. PopGateVariants]),
        new(25, 200, [.. AllTools, .. PopGateVariants]),
        new(150, 200, ["popgate", .. PopGateVariants, "mpop"]),
        new(150, 20, AllTools),
    ];

    public IReadOnlyList<DownloadCell> Cells { get; init; } = DefaultCells;

    /// <summary>Repetitions of each cell; within one, the tools take turns so that drift touches them all.</summary>
    public int Repetitions { get; init; } = 3;

    public int Seed { get; init; } = 42;

    /// <summary>A run longer than this is stopped and counted as failed: getmail6 sometimes hangs in its own child
    /// handling (upstream issues #52, #64, #226), and a hung run says nothing about speed.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Message counts for the peak-memory comparison of small messages at 0 ms; empty to skip it.</summary>
    public IReadOnlyList<int> MemoryCounts { get; init; } = [1000, 10000];

    /// <summary>Tools measured in the peak-memory comparison.</summary>
    public IReadOnlyList<string> MemoryTools { get; init; } = ["popgate", "mpop"];

    /// <summary>When set, the proxy's trace of each tool's first repetition in each cell is written here.</summary>
    public string? TraceFolder { get; init; }

    /// <summary>The `popgate` to run (a native program or a PopGate.Cli.dll), or null for the build next to the benchmark.</summary>
    public string? PopGate { get; init; }

    public int MaxMessages => Cells.Count == 0 ? 0 : Cells.Max(c => c.Messages);
}
