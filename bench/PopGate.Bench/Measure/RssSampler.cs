using System.Globalization;

namespace PopGate.Bench.Measure;

/// <summary>
/// The highest resident set size of one process while something runs, read from /proc/PID/status every few
/// milliseconds. VmHWM cannot tell two phases of one process apart; sampling VmRSS can.
/// </summary>
public static class RssSampler
{
    public static long CurrentKiB(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"no VmRSS for process {pid}");
    }

    /// <summary>Runs <paramref name="action"/> and returns its result with the peak RSS seen meanwhile.</summary>
    public static async Task<(T Result, long PeakKiB)> PeakWhileAsync<T>(int pid, Func<Task<T>> action, CancellationToken cancellationToken)
    {
        var peak = CurrentKiB(pid);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sampler = Task.Run(
            async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    peak = Math.Max(peak, CurrentKiB(pid));
                    try
                    {
                        await Task.Delay(5, stop.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }
            },
            CancellationToken.None);
        try
        {
            var result = await action().ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            await sampler.ConfigureAwait(false);
            return (result, Math.Max(peak, CurrentKiB(pid)));
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await sampler.ConfigureAwait(false);
        }
    }
}
