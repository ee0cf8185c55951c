namespace PopGate.Bench.Download;

/// <summary>How one downloader process ended: exit code, wall time, its peak resident memory, the CPU it used (user
/// and kernel seconds, its own and its waited-for children's), and what it printed.</summary>
public sealed record ToolRun(int ExitCode, bool TimedOut, TimeSpan Wall, long PeakRssKiB, double CpuSeconds, string Output)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut;
}
