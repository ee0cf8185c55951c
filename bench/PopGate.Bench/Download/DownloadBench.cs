using System.Globalization;
using PopGate.Bench.Corpus;
using PopGate.Testing;

namespace PopGate.Bench.Download;

/// <summary>
/// The download-and-delete benchmark: for each cell, each tool in turn takes the same N messages from Dovecot through
/// the latency proxy into a fresh Maildir; every delivery is checked byte for byte and the server must be left empty.
/// </summary>
public sealed class DownloadBench(DownloadOptions options, DownloadResults results)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private int _runs;

    /// <param name="knownState">The state store "popgate-known" keeps from run to run.</param>
    public static IDownloader Downloader(string name, string? popgate = null, string? knownState = null) => name switch
    {
        "popgate" => new PopGateFetchDownloader(name, popgate ?? PopGateFetchDownloader.BuiltDll),
        "popgate-known" => new PopGateFetchDownloader(name, popgate ?? PopGateFetchDownloader.BuiltDll, knownState ?? throw new ArgumentNullException(nameof(knownState))),
        "popgate-jit" => new PopGateFetchDownloader(name, PopGateFetchDownloader.BuiltDll),
        "mpop" => new MpopDownloader(),
        "fetchmail" => new FetchmailDownloader(),
        "getmail" => new GetmailDownloader(),
        _ => throw new ArgumentException($"unknown tool {name}; known: {string.Join(", ", [.. DownloadOptions.AllTools, .. DownloadOptions.PopGateVariants])}", nameof(name)),
    };

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var root = new TempDir("popgate-dlbench");
        await using var source = await DownloadSource.StartAsync().ConfigureAwait(false);
        if (options.Cells.Count > 0)
        {
            var corpus = await CorpusAsync(Path.Combine(root.Path, "corpus"), options.MaxMessages, small: false, cancellationToken).ConfigureAwait(false);
            foreach (var delay in options.Cells.Select(c => c.DelayMs).Distinct())
            {
                var figures = await ProxyCalibration.MeasureAsync(source.Port, TimeSpan.FromMilliseconds(delay), cancellationToken).ConfigureAwait(false);
                results.AddProxy(delay, figures);
                Console.Error.WriteLine(string.Create(Invariant, $"proxy at {delay} ms: greeting {figures.Greeting.TotalMilliseconds:0.0} ms, RTT {figures.RoundTrip.TotalMilliseconds:0.0} ms, {figures.BytesPerSecond / 1e6:0} MB/s"));
            }

            foreach (var cell in options.Cells)
            {
                await using var proxy = LatencyProxy.Start(source.Port, cell.OneWayDelay);
                var knownState = await PrimeKnownStateAsync(source, proxy, corpus, cell, root, cancellationToken).ConfigureAwait(false);
                for (var rep = 1; rep <= options.Repetitions; rep++)
                {
                    foreach (var tool in cell.Tools)
                    {
                        results.Add(await RunOnceAsync(Downloader(tool, options.PopGate, knownState), source, proxy, corpus, cell, rep, root, cancellationToken).ConfigureAwait(false));
                    }
                }
            }
        }

        if (options.MemoryCounts.Count > 0)
        {
            var small = await CorpusAsync(Path.Combine(root.Path, "small"), options.MemoryCounts.Max(), small: true, cancellationToken).ConfigureAwait(false);
            await using var proxy = LatencyProxy.Start(source.Port, TimeSpan.Zero);
            foreach (var count in options.MemoryCounts)
            {
                foreach (var tool in options.MemoryTools)
                {
                    var cell = new DownloadCell(0, count, options.MemoryTools);
                    results.AddMemory(await RunOnceAsync(Downloader(tool, options.PopGate, Path.Combine(root.Path, "unused.db")), source, proxy, small, cell, 1, root, cancellationToken, traceSuffix: "-small").ConfigureAwait(false));
                }
            }
        }
    }

    /// <summary>
    /// For a cell with "popgate-known": one untimed run (not reported) through this cell's proxy, so that the state
    /// store those runs share knows the server as a scheduled fetch would. Returns the store's path.
    /// </summary>
    private async Task<string?> PrimeKnownStateAsync(DownloadSource source, LatencyProxy proxy, CorpusMaildir corpus, DownloadCell cell, TempDir root, CancellationToken cancellationToken)
    {
        if (!cell.Tools.Contains("popgate-known"))
        {
            return null;
        }

        var folder = root.Sub(string.Create(Invariant, $"known-{cell.DelayMs}-{cell.Messages}"));
        await ProcessRunner.ChownAsync(folder, DownloadJob.RunAs).ConfigureAwait(false);
        var state = Path.Combine(folder, "seen.db");
        var priming = await RunOnceAsync(Downloader("popgate-known", options.PopGate, state), source, proxy, corpus, cell with { Messages = 1 }, 0, root, cancellationToken).ConfigureAwait(false);
        if (!priming.Verified)
        {
            throw new InvalidOperationException("the priming run of popgate-known failed");
        }

        return state;
    }

    private async Task<CorpusMaildir> CorpusAsync(string folder, int count, bool small, CancellationToken cancellationToken)
    {
        var corpus = small
            ? await CorpusMaildir.WriteAsync(folder, SmallCorpus.Generate(count, options.Seed), cancellationToken).ConfigureAwait(false)
            : await CorpusMaildir.WriteAsync(folder, count, options.Seed, cancellationToken).ConfigureAwait(false);
        // Dovecot's mail processes run as nobody; the hard links it is given share the owner.
        await ProcessRunner.ChownAsync(corpus.Folder, "nobody").ConfigureAwait(false);
        Console.Error.WriteLine(string.Create(Invariant, $"corpus{(small ? " (small messages)" : string.Empty)}: {count} messages, {corpus.WireBytes / 1e6:0.00} MB on the wire (seed {options.Seed})"));
        return corpus;
    }

    private async Task<DownloadRow> RunOnceAsync(
        IDownloader tool, DownloadSource source, LatencyProxy proxy, CorpusMaildir corpus, DownloadCell cell, int rep, TempDir root, CancellationToken cancellationToken, string traceSuffix = "")
    {
        await source.RefillAsync(corpus, cell.Messages).ConfigureAwait(false);
        var folder = root.Sub("run-" + (++_runs).ToString(Invariant));
        try
        {
            var destination = Path.Combine(folder, "Maildir");
            foreach (var sub in (ReadOnlySpan<string>)["tmp", "new", "cur"])
            {
                Directory.CreateDirectory(Path.Combine(destination, sub));
            }

            var job = new DownloadJob(proxy.Port, source.User, source.Password, destination, Directory.CreateDirectory(Path.Combine(folder, "state")).FullName, options.Timeout);
            proxy.ResetCounters();
            using var trace = OpenTrace(tool, cell, rep, traceSuffix);
            proxy.Trace = trace;
            var run = await tool.RunAsync(job, cancellationToken).ConfigureAwait(false);
            proxy.Trace = null;
            var expected = corpus.Files.Take(cell.Messages).Select(f => tool.Expected(File.ReadAllBytes(Path.Combine(corpus.Folder, f.Name)))).ToList();
            var delivery = DeliveryCheck.Verify(destination, expected);
            var left = await source.CountAsync().ConfigureAwait(false);
            var row = new DownloadRow(cell, tool.Name, rep, run, proxy.ServerToClientBytes, proxy.ClientToServerBytes, proxy.ClientTurns, proxy.Connections, delivery, left);
            Console.Error.WriteLine(string.Create(Invariant, $"{DateTime.UtcNow:HH:mm:ss} {cell.DelayMs} ms, {cell.Messages} msgs, rep {rep}, {tool.Name,-9}: {row.Seconds,7:0.000} s, CPU {run.CpuSeconds,6:0.00} s, {row.ClientTurns,4} turns, {run.PeakRssKiB / 1024.0,6:0.0} MiB, {delivery}, left {left}"));
            if (!row.Verified)
            {
                Console.Error.WriteLine($"  exit {run.ExitCode}{(run.TimedOut ? " (timed out)" : string.Empty)}: {Tail(run.Output)}");
            }

            return row;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private StreamWriter? OpenTrace(IDownloader tool, DownloadCell cell, int rep, string suffix)
    {
        if (options.TraceFolder is null || rep != 1)
        {
            return null;
        }

        Directory.CreateDirectory(options.TraceFolder);
        return new StreamWriter(Path.Combine(options.TraceFolder, string.Create(Invariant, $"{tool.Name}-{cell.DelayMs}ms-{cell.Messages}{suffix}.trace")));
    }

    private static string Tail(string text) => text.Length > 600 ? "…" + text[^600..] : text;
}
