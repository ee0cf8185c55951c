using PopGate.Bench.Download;

namespace PopGate.Interop.Bench;

/// <summary>
/// The download benchmark, shrunk to 20 messages at 0 ms, with popgate fetch and mpop: its real code (Dovecot refill,
/// proxy calibration, tools as nobody under GNU time, byte-for-byte check, server emptied) yields verified rows.
/// No timing is asserted.
/// </summary>
public sealed class DownloadBenchSmokeTests
{
    [Fact]
    public async Task A_tiny_run_verifies_every_delivery_of_popgate_fetch_and_mpop()
    {
        var cell = new DownloadCell(0, 20, ["popgate", "mpop"]);
        var options = new DownloadOptions { Cells = [cell], Repetitions = 1, MemoryCounts = [], Timeout = TimeSpan.FromSeconds(60) };
        var results = new DownloadResults();

        await new DownloadBench(options, results).RunAsync(CancellationToken.None);

        Assert.Equal(["popgate", "mpop"], results.Rows.Select(r => r.Tool));
        Assert.All(results.Rows, r =>
        {
            Assert.True(r.Verified, $"{r.Tool}: exit {r.Run.ExitCode}, {r.Delivery}, left {r.ServerLeft}\n{r.Run.Output}");
            Assert.Equal(20, r.Delivery.Intact);
            Assert.Equal(1, r.Connections);
            Assert.InRange(r.ClientTurns, 1, 100);
            // Every body crossed the proxy: more octets than the delivered files (CRLF and replies add to them).
            Assert.True(r.ServerToClientBytes > r.Delivery.Bytes, $"{r.ServerToClientBytes} <= {r.Delivery.Bytes}");
            Assert.True(r.Run.PeakRssKiB > 0);
        });
        var proxy = Assert.Single(results.Proxy).Value;
        Assert.True(proxy.BytesPerSecond > 0);
        Assert.True(results.Floor(cell, 4) > 0);
        Assert.Contains("| popgate |", results.ToMarkdown(), StringComparison.Ordinal);
    }
}
