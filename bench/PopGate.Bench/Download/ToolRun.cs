namespace PopGate.Bench.Download;

/// <summary>How one downloader process ended: exit code, wall time, its peak resident memory, and what it printed.</summary>
public sealed record ToolRun(int ExitCode, bool TimedOut, TimeSpan Wall, long PeakRssKiB, string Output)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut;
}
