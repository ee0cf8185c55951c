using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using PopGate.Bench.Load;
using PopGate.Bench.Server;

namespace PopGate.Bench.Gateway;

/// <summary>`PopGate.Bench gateway` (IMAP upstreams) and `PopGate.Bench jmap` (Cyrus's JMAP).</summary>
internal static class GatewayCommand
{
    public static Command CreateGateway()
    {
        var upstreams = new Option<string[]>("--upstreams") { Description = "IMAP servers behind the gateway: dovecot, cyrus", DefaultValueFactory = _ => GatewayBenchOptions.AllUpstreams, CustomParser = r => Names(r.Tokens) };
        var large = new Option<int>("--large-mib") { Description = "size of the large message of the memory test (0: none)", DefaultValueFactory = _ => 64 };
        var command = new Command("gateway", "popgate serve in front of a large IMAP folder: connect-to-STAT, RETR throughput against Dovecot's POP3 or Cyrus's IMAP, memory.")
        {
            upstreams, large,
        };
        return Configure(command, (options, result) => options with
        {
            Upstreams = result.GetValue(upstreams)!,
            LargeMegabytes = result.GetValue(large),
        }, (bench, ct) => bench.RunGatewayAsync(ct), ["dovecot-pop3", "cyrus-imap", "cyrus-imap-1:*", "popgate"]);
    }

    public static Command CreateJmap()
    {
        var command = new Command("jmap", "popgate serve in front of a large Cyrus JMAP account: connect-to-STAT, RETR throughput against Cyrus's IMAP.");
        return Configure(command, (options, _) => options, (bench, ct) => bench.RunJmapAsync(ct), ["cyrus-imap", "cyrus-imap-1:*", "popgate"]);
    }

    private static Command Configure(
        Command command, Func<GatewayBenchOptions, ParseResult, GatewayBenchOptions> specific, Func<GatewayBench, CancellationToken, Task> run, string[] servers)
    {
        var messages = new Option<int>("--messages") { Description = "messages in the mailbox", DefaultValueFactory = _ => 10_000 };
        var seed = new Option<int>("--seed") { Description = "corpus seed", DefaultValueFactory = _ => 42 };
        var window = new Option<int>("--window") { Description = "RETR / UID FETCH commands in flight", DefaultValueFactory = _ => 64 };
        var reps = new Option<int>("--reps") { Description = "download runs per client (median reported)", DefaultValueFactory = _ => 3 };
        var logins = new Option<int>("--logins") { Description = "logins timed after the first", DefaultValueFactory = _ => 5 };
        var readAhead = new Option<int?>("--read-ahead-kib") { Description = "the IMAP store's ReadAheadKiB (default: the store's default)" };
        var output = new Option<string?>("--output") { Description = "also write the markdown result to this file" };
        var program = new Option<string?>("--popgate") { Description = "the popgate that serves: a native build (scripts/publish-native.sh); default: the build next to the benchmark" };
        command.Options.Add(program);
        command.Options.Add(messages);
        command.Options.Add(seed);
        command.Options.Add(window);
        command.Options.Add(reps);
        command.Options.Add(logins);
        command.Options.Add(readAhead);
        command.Options.Add(output);
        command.SetAction(async (result, cancellationToken) =>
        {
            var options = specific(
                new GatewayBenchOptions
                {
                    Messages = result.GetValue(messages),
                    Seed = result.GetValue(seed),
                    Window = result.GetValue(window),
                    Repetitions = result.GetValue(reps),
                    Logins = result.GetValue(logins),
                    ReadAheadKiB = result.GetValue(readAhead),
                    Program = result.GetValue(program) is { } path ? Path.GetFullPath(path) : null,
                },
                result);
            return await RunAsync(options, servers, run, result.GetValue(output), cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunAsync(
        GatewayBenchOptions options, string[] servers, Func<GatewayBench, CancellationToken, Task> run, string? output, CancellationToken cancellationToken)
    {
        var results = new BenchResults();
        var started = DateTimeOffset.UtcNow;
        try
        {
            await run(new GatewayBench(options, results), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is LoadException or InvalidOperationException or IOException or System.Net.Sockets.SocketException or PopGate.Imap.ImapProtocolException or PopGate.Imap.ImapCommandException)
        {
            Console.Error.WriteLine($"benchmark failed: {e.Message}");
            Console.Out.Write(results.ToMarkdown(servers));
            return 1;
        }

        var header = string.Create(CultureInfo.InvariantCulture, $"""
            - date: {started:yyyy-MM-dd HH:mm} UTC, {(DateTimeOffset.UtcNow - started).TotalSeconds:0} s; {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}
            - load average at the end: {File.ReadAllText("/proc/loadavg").Trim()}
            - {options.Messages} messages (seed {options.Seed}); {options.Window} commands in flight; {options.Repetitions} download runs per client, alternating; {options.Logins} later logins


            """);
        var markdown = header + results.ToMarkdown(servers);
        Console.Out.Write(markdown);
        if (output is not null)
        {
            await File.WriteAllTextAsync(output, markdown, cancellationToken).ConfigureAwait(false);
        }

        return 0;
    }

    private static string[] Names(IReadOnlyList<System.CommandLine.Parsing.Token> tokens) =>
        tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
}
