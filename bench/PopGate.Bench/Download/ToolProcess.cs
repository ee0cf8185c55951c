using System.Diagnostics;
using System.Globalization;
using PopGate.Testing;

namespace PopGate.Bench.Download;

/// <summary>
/// Runs a downloader as <see cref="DownloadJob.RunAs"/> under GNU time, which reports the peak resident set of the
/// tool's own process (getrusage of the waited child), whatever language it is written in.
/// </summary>
public static class ToolProcess
{
    private const string Time = "/usr/bin/time";

    public static async Task<ToolRun> RunAsync(
        DownloadJob job, string program, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        var usageFile = Path.Combine(job.State, "usage");
        var env = new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
        {
            // Tools look for their dot files in HOME; the scratch folder keeps runs apart.
            ["HOME"] = job.State,
        };
        await ProcessRunner.ChownAsync(job.State, DownloadJob.RunAs).ConfigureAwait(false);
        await ProcessRunner.ChownAsync(job.Destination, DownloadJob.RunAs).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        var result = await ProcessRunner.RunAsync(
            PeerProgram.Require(Time),
            ["-f", "%M %U %S", "-o", usageFile, PeerProgram.Require(program), .. arguments],
            job.Timeout,
            environment: env,
            workingDirectory: job.State,
            asUser: DownloadJob.RunAs).ConfigureAwait(false);
        var wall = clock.Elapsed;
        var (rss, cpu) = ReadUsage(usageFile);
        return new ToolRun(result.ExitCode, result.TimedOut, wall, rss, cpu, (result.StdOut + result.StdErr).Trim());
    }

    /// <summary>Peak RSS in KiB and user + system CPU seconds, or -1 and NaN when the tool was killed before GNU time wrote them.</summary>
    private static (long RssKiB, double CpuSeconds) ReadUsage(string file)
    {
        try
        {
            // GNU time puts a "Command exited with non-zero status" line first when the tool failed.
            var last = File.ReadAllLines(file).LastOrDefault(l => l.Length > 0)?.Split(' ');
            if (last is { Length: 3 }
                && long.TryParse(last[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kib)
                && double.TryParse(last[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var user)
                && double.TryParse(last[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var system))
            {
                return (kib, user + system);
            }
        }
        catch (IOException)
        {
        }

        return (-1, double.NaN);
    }
}
