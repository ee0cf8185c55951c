using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;

namespace PopGate.Bench.Download;

/// <summary>`PopGate.Bench download`: popgate fetch, mpop, fetchmail and getmail6 through the latency proxy.</summary>
internal static class DownloadCommand
{
    public static Command Create()
    {
        var cells = new Option<DownloadCell[]>("--cells")
        {
            Description = "cells as DELAY_MS:MESSAGES[:TOOL,...], e.g. \"0:1000 25:200 150:20:fetchmail,getmail\"",
            DefaultValueFactory = _ => DownloadOptions.DefaultCells,
            AllowMultipleArgumentsPerToken = true,
            CustomParser = r => r.Tokens.SelectMany(t => t.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(DownloadCell.Parse).ToArray(),
        };
        var reps = new Option<int>("--reps") { Description = "repetitions of each cell", DefaultValueFactory = _ => 3 };
        var seed = new Option<int>("--seed") { Description = "corpus seed", DefaultValueFactory = _ => 42 };
        var timeout = new Option<double>("--timeout") { Description = "seconds before a run is stopped and counted as failed", DefaultValueFactory = _ => 60 };
        var memory = new Option<int[]>("--memory")
        {
            Description = "small-message counts for the peak-memory comparison at 0 ms, e.g. 1000,10000 (0 skips it)",
            DefaultValueFactory = _ => [1000, 10000],
            CustomParser = r => r.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries))
                .Select(v => int.Parse(v, NumberStyles.None, CultureInfo.InvariantCulture)).Where(n => n > 0).ToArray(),
        };
        var memoryTools = new Option<string[]>("--memory-tools")
        {
            Description = "tools in the peak-memory comparison",
            DefaultValueFactory = _ => ["popgate", "mpop"],
            CustomParser = r => r.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries)).ToArray(),
        };
        var trace = new Option<string?>("--trace") { Description = "write the proxy's trace of each tool's first repetition per cell into this folder" };
        var popgate = new Option<string?>("--popgate") { Description = "the popgate to run: a native build (scripts/publish-native.sh) or a PopGate.Cli.dll; default: the build next to the benchmark" };
        var output = new Option<string?>("--output") { Description = "also write the markdown result to this file" };
        var command = new Command("download", "Download-and-delete from Dovecot through the latency proxy: popgate fetch, mpop, fetchmail, getmail6.")
        {
            cells, reps, seed, timeout, memory, memoryTools, trace, popgate, output,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var options = new DownloadOptions
            {
                Cells = result.GetValue(cells)!,
                Repetitions = result.GetValue(reps),
                Seed = result.GetValue(seed),
                Timeout = TimeSpan.FromSeconds(result.GetValue(timeout)),
                MemoryCounts = result.GetValue(memory)!,
                MemoryTools = result.GetValue(memoryTools)!,
                TraceFolder = result.GetValue(trace),
                PopGate = result.GetValue(popgate) is { } program ? Path.GetFullPath(program) : null,
            };
            return await RunAsync(options, result.GetValue(output), cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunAsync(DownloadOptions options, string? output, CancellationToken cancellationToken)
    {
        var results = new DownloadResults();
        var started = DateTimeOffset.UtcNow;
        var failed = false;
        try
        {
            await new DownloadBench(options, results).RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or System.Net.Sockets.SocketException)
        {
            Console.Error.WriteLine($"download benchmark failed: {e.Message}");
            failed = true;
        }

        var header = string.Create(CultureInfo.InvariantCulture, $"""
            - date: {started:yyyy-MM-dd HH:mm} UTC, {(DateTimeOffset.UtcNow - started).TotalSeconds:0} s; {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}
            - load average at the end: {File.ReadAllText("/proc/loadavg").Trim()}
            - cells (one-way delay ms : messages : tools): {string.Join("  ", options.Cells)}; {options.Repetitions} repetitions, tools taking turns; corpus seed {options.Seed}; timeout {options.Timeout.TotalSeconds:0} s per run
            - popgate: {options.PopGate ?? "the build next to the benchmark"} (popgate-known: the same with its state store kept from an untimed first run through the cell's proxy; popgate-jit: the build next to the benchmark); tools as {DownloadJob.RunAs}, each into a fresh Maildir; verified = exit 0, every message intact exactly once (CRLF made LF), server empty


            """);
        var markdown = header + results.ToMarkdown();
        Console.Out.Write(markdown);
        if (output is not null)
        {
            await File.WriteAllTextAsync(output, markdown, cancellationToken).ConfigureAwait(false);
        }

        return failed || results.Rows.Concat(results.MemoryRows).Any(r => !r.Verified) ? 1 : 0;
    }
}
