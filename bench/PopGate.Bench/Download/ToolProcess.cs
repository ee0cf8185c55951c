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
        var rssFile = Path.Combine(job.State, "max-rss-kib");
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
            ["-f", "%M", "-o", rssFile, PeerProgram.Require(program), .. arguments],
            job.Timeout,
            environment: env,
            workingDirectory: job.State,
            asUser: DownloadJob.RunAs).ConfigureAwait(false);
        var wall = clock.Elapsed;
        return new ToolRun(result.ExitCode, result.TimedOut, wall, ReadRss(rssFile), (result.StdOut + result.StdErr).Trim());
    }

    private static long ReadRss(string file)
    {
        try
        {
            // GNU time puts a "Command exited with non-zero status" line first when the tool failed.
            var last = File.ReadAllLines(file).LastOrDefault(l => l.Length > 0);
            return long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var kib) ? kib : -1;
        }
        catch (IOException)
        {
            return -1;
        }
    }
}
