using PopGate.Bench.Gateway;
using PopGate.Bench.Server;

namespace PopGate.Interop.Bench;

/// <summary>
/// The gateway and JMAP benchmarks shrunk to seconds: real Dovecot and Cyrus filled with the generated corpus,
/// `popgate serve` in front, the same clients and /proc readings as the full runs. Rows must exist, with sane values
/// and every RETR body the size LIST gave. No timing is asserted.
/// </summary>
public sealed class GatewayBenchSmokeTests
{
    [Fact]
    public async Task A_tiny_gateway_run_against_dovecot_measures_everything()
    {
        var options = new GatewayBenchOptions { Messages = 40, Repetitions = 1, Logins = 1, LargeMegabytes = 2, Upstreams = ["dovecot"] };
        var results = new BenchResults();

        await new GatewayBench(options, results).RunGatewayAsync(CancellationToken.None);

        // Without the final-newline check, with it, and after a restart that kept its results.
        var first = results.Rows.Where(r => r.Measure.StartsWith("connect → STAT ms, first login", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, first.Count);
        Assert.All(first, r =>
        {
            Assert.True(r.Value > 0);
            Assert.StartsWith("STAT 40 ", r.Details, StringComparison.Ordinal);
        });
        var retr = results.Rows.Where(r => r.Measure.StartsWith("RETR", StringComparison.Ordinal)).ToList();
        Assert.Equal([GatewayBench.DovecotPop3, GatewayBench.Ours], retr.Select(r => r.Server));
        Assert.All(retr, r =>
        {
            Assert.True(r.Value > 0, r.Details);
            Assert.Contains("body sizes differing from LIST: 0", r.Details, StringComparison.Ordinal);
        });
        var memory = results.Rows.Where(r => r.Measure.StartsWith("peak RSS", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, memory.Count);
        Assert.Contains("2 MiB message, 2.", memory[1].Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tiny_jmap_run_against_cyrus_measures_everything()
    {
        var options = new GatewayBenchOptions { Messages = 30, Repetitions = 1, Logins = 1 };
        var results = new BenchResults();

        await new GatewayBench(options, results).RunJmapAsync(CancellationToken.None);

        // First login, later logins, and the first login after a restart that kept the listing.
        var stat = results.Rows.Where(r => r.Measure.StartsWith("connect → STAT", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, stat.Count);
        Assert.Contains(stat, r => r.Measure.Contains("after a restart", StringComparison.Ordinal));
        Assert.All(stat, r => Assert.Contains("STAT 30 ", r.Details, StringComparison.Ordinal));
        var retr = results.Rows.Where(r => r.Measure.StartsWith("RETR", StringComparison.Ordinal)).ToList();
        Assert.Equal([GatewayBench.CyrusImap, GatewayBench.CyrusImapWhole, GatewayBench.Ours], retr.Select(r => r.Server));
        Assert.All(retr, r => Assert.True(r.Value > 0, r.Details));
        Assert.Contains("body sizes differing from LIST: 0", retr[2].Details, StringComparison.Ordinal);
        // Both IMAP baselines read every message, and as many bytes.
        Assert.Contains("30 messages", retr[0].Details, StringComparison.Ordinal);
        Assert.Equal(retr[0].Details.Split(" MB in ")[0].Split("; ")[1], retr[1].Details.Split(" MB in ")[0].Split("; ")[1]);
    }
}
