using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using PopGate.Bench.Load;

namespace PopGate.Bench.Server;

/// <summary>`PopGate.Bench server`: Dovecot (default and tuned) and `popgate serve` side by side.</summary>
internal static class ServerCommand
{
    public static Command Create()
    {
        var duration = new Option<double>("--duration") { Description = "seconds per logins/s measurement", DefaultValueFactory = _ => 10 };
        var warmup = new Option<double>("--warmup") { Description = "seconds of load before each logins/s measurement", DefaultValueFactory = _ => 2 };
        var messages = new Option<int>("--messages") { Description = "messages in each login maildrop", DefaultValueFactory = _ => 1000 };
        var seed = new Option<int>("--seed") { Description = "corpus seed", DefaultValueFactory = _ => 42 };
        var clients = new Option<int[]>("--clients") { Description = "concurrent login clients, e.g. 1,16", DefaultValueFactory = _ => [1, 16], CustomParser = r => List(r.Tokens) };
        var idle = new Option<int[]>("--idle") { Description = "idle session counts, e.g. 200,1000", DefaultValueFactory = _ => [200, 1000], CustomParser = r => List(r.Tokens) };
        var idleMessages = new Option<int>("--idle-messages") { Description = "messages in each idle account's maildrop", DefaultValueFactory = _ => 20 };
        var idleHold = new Option<double>("--idle-hold") { Description = "seconds the idle sessions are held before memory is read", DefaultValueFactory = _ => 3 };
        var passes = new Option<int>("--passes") { Description = "RETR: whole-maildrop passes per session", DefaultValueFactory = _ => 10 };
        var window = new Option<int>("--window") { Description = "RETR commands in flight", DefaultValueFactory = _ => 64 };
        var reps = new Option<int>("--reps") { Description = "RETR sessions measured (median reported)", DefaultValueFactory = _ => 3 };
        var servers = new Option<string[]>("--servers") { Description = "servers to measure", DefaultValueFactory = _ => ServerBenchOptions.AllServers, CustomParser = r => Names(r.Tokens) };
        var schemes = new Option<string[]>("--schemes") { Description = "password schemes (PLAIN, SHA512-CRYPT)", DefaultValueFactory = _ => ServerBenchOptions.AllSchemes, CustomParser = r => Names(r.Tokens) };
        var output = new Option<string?>("--output") { Description = "also write the markdown result to this file" };
        var command = new Command("server", "Logins/s, RETR MB/s and memory per idle session: Dovecot default, Dovecot tuned, popgate serve.")
        {
            duration, warmup, messages, seed, clients, idle, idleMessages, idleHold, passes, window, reps, servers, schemes, output,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var options = new ServerBenchOptions
            {
                Duration = TimeSpan.FromSeconds(result.GetValue(duration)),
                Warmup = TimeSpan.FromSeconds(result.GetValue(warmup)),
                Messages = result.GetValue(messages),
                Seed = result.GetValue(seed),
                Clients = result.GetValue(clients)!,
                Idle = result.GetValue(idle)!,
                IdleMessages = result.GetValue(idleMessages),
                IdleHold = TimeSpan.FromSeconds(result.GetValue(idleHold)),
                Passes = result.GetValue(passes),
                Window = result.GetValue(window),
                Repetitions = result.GetValue(reps),
                Servers = result.GetValue(servers)!,
                Schemes = result.GetValue(schemes)!,
            };
            return await RunAsync(options, result.GetValue(output), cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunAsync(ServerBenchOptions options, string? output, CancellationToken cancellationToken)
    {
        var results = new BenchResults();
        var started = DateTimeOffset.UtcNow;
        try
        {
            await new ServerBench(options, results).RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is LoadException or InvalidOperationException or IOException or System.Net.Sockets.SocketException)
        {
            Console.Error.WriteLine($"server benchmark failed: {e.Message}");
            Console.Out.Write(results.ToMarkdown(options.Servers));
            return 1;
        }

        var header = string.Create(CultureInfo.InvariantCulture, $"""
            - date: {started:yyyy-MM-dd HH:mm} UTC, {(DateTimeOffset.UtcNow - started).TotalSeconds:0} s; {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}
            - load average at the end: {File.ReadAllText("/proc/loadavg").Trim()}
            - {options.Messages} messages (seed {options.Seed}) per login maildrop; logins {options.Duration.TotalSeconds:0} s after {options.Warmup.TotalSeconds:0} s warm-up; RETR {options.Passes} passes × {options.Repetitions}; idle maildrops of {options.IdleMessages} messages


            """);
        var markdown = header + results.ToMarkdown(options.Servers);
        Console.Out.Write(markdown);
        if (output is not null)
        {
            await File.WriteAllTextAsync(output, markdown, cancellationToken).ConfigureAwait(false);
        }

        return 0;
    }

    private static int[] List(IReadOnlyList<System.CommandLine.Parsing.Token> tokens) =>
        tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(v => int.Parse(v, NumberStyles.None, CultureInfo.InvariantCulture))
            .ToArray();

    private static string[] Names(IReadOnlyList<System.CommandLine.Parsing.Token> tokens) =>
        tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
}
