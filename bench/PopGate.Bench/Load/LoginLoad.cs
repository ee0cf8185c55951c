using System.Diagnostics;
using System.Net;

namespace PopGate.Bench.Load;

/// <summary>What a login run achieved: complete sessions, failures, and session latency.</summary>
public sealed record LoginResult(int Clients, int Sessions, int Errors, double Seconds, double P50Ms, double P99Ms, double MaxMs, string? FirstError)
{
    public double PerSecond => Sessions / Seconds;
}

/// <summary>
/// Clients that each open session after session for a fixed time: connect, greeting, USER, PASS, STAT, QUIT, one
/// command per round trip as mail clients log in, then wait for the server to close. Each client has an account of
/// its own, so servers that allow one session per maildrop are measured the same way as those that do not.
/// </summary>
public static class LoginLoad
{
    private static readonly byte[] Stat = "STAT\r\n"u8.ToArray();
    private static readonly byte[] Quit = "QUIT\r\n"u8.ToArray();

    public static async Task<LoginResult> RunAsync(IPEndPoint server, IReadOnlyList<LoginCommands> accounts, TimeSpan duration, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var workers = accounts.Select(a => Task.Run(() => WorkerAsync(server, a, clock, duration, cancellationToken), cancellationToken)).ToList();
        var results = await Task.WhenAll(workers).ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;
        var latencies = results.SelectMany(r => r.Latencies).ToArray();
        Array.Sort(latencies);
        return new LoginResult(
            accounts.Count,
            latencies.Length,
            results.Sum(r => r.Errors),
            seconds,
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.99),
            latencies.Length == 0 ? double.NaN : latencies[^1],
            results.Select(r => r.FirstError).FirstOrDefault(e => e is not null));
    }

    /// <summary>One complete session; throws <see cref="LoadException"/> or a socket error when it fails.</summary>
    public static async Task OneSessionAsync(IPEndPoint server, LoginCommands account, CancellationToken cancellationToken)
    {
        var wire = await Pop3Wire.LoginAsync(server, account, 1024, cancellationToken).ConfigureAwait(false);
        await using (wire.ConfigureAwait(false))
        {
            await wire.ExpectOkAsync(Stat, cancellationToken).ConfigureAwait(false);
            await wire.ExpectOkAsync(Quit, cancellationToken).ConfigureAwait(false);
            await wire.WaitClosedAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<WorkerResult> WorkerAsync(IPEndPoint server, LoginCommands account, Stopwatch clock, TimeSpan duration, CancellationToken cancellationToken)
    {
        var result = new WorkerResult();
        while (clock.Elapsed < duration)
        {
            var started = clock.Elapsed;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(30));
                await OneSessionAsync(server, account, timeout.Token).ConfigureAwait(false);
                result.Latencies.Add((clock.Elapsed - started).TotalMilliseconds);
            }
            catch (Exception e) when (e is LoadException or IOException or System.Net.Sockets.SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                result.Errors++;
                result.FirstError ??= $"{account.Name}: {e.Message}";
                await Task.Delay(10, cancellationToken).ConfigureAwait(false);
            }
        }

        return result;
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    private sealed class WorkerResult
    {
        public List<double> Latencies { get; } = new(8192);
        public int Errors { get; set; }
        public string? FirstError { get; set; }
    }
}
