using PopGate.Bench.Corpus;
using PopGate.Bench.Server;
using PopGate.Protocol;
using PopGate.Testing;

namespace PopGate.Interop.Bench;

/// <summary>
/// The server benchmark, shrunk to seconds, against `popgate serve`: every measurement runs its real code (corpus,
/// accounts, login clients, pipelined RETR with size checks, idle sessions, /proc readings) and yields a sane row.
/// No timing is asserted.
/// </summary>
public sealed class BenchSmokeTests
{
    [Fact]
    public async Task A_tiny_run_against_popgate_measures_everything()
    {
        var options = new ServerBenchOptions
        {
            Servers = ["popgate"],
            Schemes = ["PLAIN", "SHA512-CRYPT"],
            Messages = 40,
            Clients = [1, 3],
            Duration = TimeSpan.FromSeconds(0.5),
            Warmup = TimeSpan.FromSeconds(0.2),
            Passes = 2,
            Repetitions = 1,
            Idle = [6],
            IdleMessages = 3,
            IdleHold = TimeSpan.FromSeconds(0.2),
        };
        var results = new BenchResults();

        await new ServerBench(options, results).RunAsync(CancellationToken.None);

        var rows = results.Rows;
        Assert.All(rows, r => Assert.Equal("popgate", r.Server));
        var logins = rows.Where(r => r.Measure.StartsWith("logins/s", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, logins.Count);
        Assert.All(logins, r =>
        {
            Assert.True(r.Value > 0, r.Details);
            Assert.Contains("errors 0;", r.Details, StringComparison.Ordinal);
        });
        var retr = Assert.Single(rows, r => r.Measure.StartsWith("RETR", StringComparison.Ordinal));
        Assert.True(retr.Value > 0);
        Assert.Contains("body sizes differing from LIST: 0", retr.Details, StringComparison.Ordinal);
        var idle = Assert.Single(rows, r => r.Measure.StartsWith("KiB per idle session", StringComparison.Ordinal));
        Assert.Contains("alive 6/6", idle.Details, StringComparison.Ordinal);
        Assert.Contains("| RETR MB/s", results.ToMarkdown(options.Servers), StringComparison.Ordinal);
    }

    [Fact]
    public void The_corpus_is_the_same_for_the_same_seed_and_has_the_promised_shape()
    {
        var first = CorpusGenerator.Generate(400, 7).ToList();
        var again = CorpusGenerator.Generate(400, 7).ToList();
        Assert.Equal(first.Select(m => m.Bytes), again.Select(m => m.Bytes));
        Assert.NotEqual(first[0].Bytes, CorpusGenerator.Generate(1, 8).First().Bytes);

        var sizes = first.Select(m => m.Bytes.Length).Order().ToList();
        Assert.InRange(sizes[sizes.Count / 2], 5 * 1024, 12 * 1024);
        Assert.Equal(2, first.Count(m => m.Bytes.Length >= 1 << 20));
        Assert.Contains(first, m => m.Bytes.AsSpan().IndexOf("\n.."u8) >= 0);
        Assert.Contains(first, m => m.Bytes.Any(b => b >= 0x80));
        Assert.All(first, m =>
        {
            Assert.Equal(m.Bytes.Length + m.Bytes.Count(b => b == (byte)'\n'), m.WireSize);
            Assert.Equal((byte)'\n', m.Bytes[^1]);
            Assert.True(Pop3Limits.IsValidUid(m.FileName), m.FileName);
        });
    }
}
