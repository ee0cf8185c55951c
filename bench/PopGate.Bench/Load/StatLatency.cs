using System.Diagnostics;
using System.Net;

namespace PopGate.Bench.Load;

/// <summary>One login timed from the TCP connect to the +OK of STAT, and what STAT said.</summary>
public sealed record StatTiming(double Milliseconds, string Stat);

/// <summary>
/// Times what a mail client waits for before it can start downloading: connect, greeting, USER, PASS, STAT (one
/// command per round trip), then QUIT. The PASS is where a gateway logs in upstream and takes its listing.
/// </summary>
public static class StatLatency
{
    private static readonly byte[] Stat = "STAT\r\n"u8.ToArray();
    private static readonly byte[] Quit = "QUIT\r\n"u8.ToArray();

    public static async Task<StatTiming> MeasureAsync(IPEndPoint server, LoginCommands account, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var wire = await Pop3Wire.LoginAsync(server, account, 64 * 1024, cancellationToken).ConfigureAwait(false);
        await using (wire.ConfigureAwait(false))
        {
            var stat = await wire.ExpectOkLineAsync(Stat, cancellationToken).ConfigureAwait(false);
            var elapsed = clock.Elapsed.TotalMilliseconds;
            await wire.ExpectOkAsync(Quit, cancellationToken).ConfigureAwait(false);
            await wire.WaitClosedAsync(cancellationToken).ConfigureAwait(false);
            return new StatTiming(elapsed, stat);
        }
    }

    /// <summary>Several logins one after another; the timings in order.</summary>
    public static async Task<IReadOnlyList<StatTiming>> RepeatAsync(IPEndPoint server, LoginCommands account, int count, CancellationToken cancellationToken)
    {
        var timings = new List<StatTiming>(count);
        for (var i = 0; i < count; i++)
        {
            timings.Add(await MeasureAsync(server, account, cancellationToken).ConfigureAwait(false));
        }

        return timings;
    }
}
