using System.Globalization;
using PopGate.Bench.Load;
using PopGate.Bench.Measure;
using PopGate.Testing;

namespace PopGate.Bench.Server;

/// <summary>
/// The server benchmark: each server in turn, on the same data and accounts, measured for logins per second,
/// RETR throughput and memory per idle session, with the CPU the load client and the server used meanwhile.
/// </summary>
public sealed class ServerBench(ServerBenchOptions options, BenchResults results)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var root = new TempDir("popgate-bench");
        Console.Error.WriteLine($"generating {options.Messages} messages (seed {options.Seed}) and {options.MaxIdle + (options.MaxClients * options.Schemes.Count)} accounts in {root.Path}");
        var setup = await BenchSetup.CreateAsync(root.Path, options, cancellationToken).ConfigureAwait(false);
        Console.Error.WriteLine($"corpus: {setup.Corpus.Files.Count} messages, {setup.Corpus.Bytes / 1e6:0.00} MB as files, {setup.Corpus.WireBytes / 1e6:0.00} MB on the wire");
        foreach (var server in options.Servers)
        {
            var folder = await setup.MaildropsForAsync(server).ConfigureAwait(false);
            Console.Error.WriteLine($"== {server}");
            await using (var target = await StartAsync(server, folder, setup).ConfigureAwait(false))
            {
                await PrimeAsync(target, setup, cancellationToken).ConfigureAwait(false);
                foreach (var scheme in options.Schemes)
                {
                    foreach (var clients in options.Clients)
                    {
                        await LoginsAsync(target, setup.LoginAccounts(scheme, clients), scheme, cancellationToken).ConfigureAwait(false);
                    }
                }

                await RetrAsync(target, setup.LoginAccounts(options.Schemes[0], 1)[0], cancellationToken).ConfigureAwait(false);
            }

            foreach (var sessions in options.Idle)
            {
                // A fresh server each time: Dovecot keeps processes of earlier sessions for reuse, and a runtime
                // keeps memory it once grew to.
                await using var target = await StartAsync(server, folder, setup).ConfigureAwait(false);
                await IdleAsync(target, setup, sessions, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<IBenchTarget> StartAsync(string server, string folder, BenchSetup setup)
    {
        var limit = options.MaxIdle + 100;
        return server switch
        {
            "dovecot-default" => await DovecotTarget.StartAsync(tuned: false, folder, setup.Accounts, limit).ConfigureAwait(false),
            "dovecot-tuned" => await DovecotTarget.StartAsync(tuned: true, folder, setup.Accounts, limit).ConfigureAwait(false),
            "popgate" => await PopGateTarget.StartAsync(folder, setup.Accounts, limit).ConfigureAwait(false),
            _ => throw new ArgumentException($"unknown server {server}; known: {string.Join(", ", ServerBenchOptions.AllServers)}", nameof(server)),
        };
    }

    /// <summary>One STAT per login maildrop: builds Dovecot's indexes and PopGate's size caches before timing.</summary>
    private async Task PrimeAsync(IBenchTarget target, BenchSetup setup, CancellationToken cancellationToken)
    {
        foreach (var account in options.Schemes.SelectMany(s => setup.LoginAccounts(s, options.MaxClients)))
        {
            await LoginLoad.OneSessionAsync(target.EndPoint, Commands(account), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task LoginsAsync(IBenchTarget target, IReadOnlyList<BenchAccount> accounts, string scheme, CancellationToken cancellationToken)
    {
        var commands = accounts.Select(Commands).ToList();
        await LoginLoad.RunAsync(target.EndPoint, commands, options.Warmup, cancellationToken).ConfigureAwait(false);
        var meter = CpuMeter.Start(target.RootPid);
        var result = await LoginLoad.RunAsync(target.EndPoint, commands, options.Duration, cancellationToken).ConfigureAwait(false);
        var cpu = meter.Stop();
        var perLogin = result.Sessions == 0 ? double.NaN : cpu.ServerCpu * 1000 / result.Sessions;
        var clientPerLogin = result.Sessions == 0 ? double.NaN : cpu.ClientCpu * 1000 / result.Sessions;
        results.Add(new Measurement(
            string.Create(Invariant, $"logins/s, {accounts.Count} client{(accounts.Count == 1 ? "" : "s")}, {{{scheme}}}"),
            target.Name,
            result.PerSecond,
            string.Create(Invariant, $"{result.Sessions} sessions in {result.Seconds:0.0} s, p50 {result.P50Ms:0.00} ms, p99 {result.P99Ms:0.00} ms, errors {result.Errors}{(result.FirstError is null ? "" : $" ({result.FirstError})")}; server CPU {perLogin:0.000} ms/login ({cpu.ServerCores:0.00} cores), client CPU {clientPerLogin:0.000} ms/login ({cpu.ClientCores:0.00} cores, {cpu.ClientKernelCpu / cpu.ClientCpu:0%} in the kernel)")));
    }

    private async Task RetrAsync(IBenchTarget target, BenchAccount account, CancellationToken cancellationToken)
    {
        var commands = Commands(account);
        // Warm-up: the page cache, the JIT, and Dovecot's first-RETR flag changes (\Seen, new/ to cur/ at QUIT).
        await RetrLoad.RunAsync(target.EndPoint, commands, options.Window, 1, cancellationToken).ConfigureAwait(false);
        var runs = new List<(RetrResult Result, CpuUse Cpu)>();
        for (var i = 0; i < options.Repetitions; i++)
        {
            var meter = CpuMeter.Start(target.RootPid);
            var result = await RetrLoad.RunAsync(target.EndPoint, commands, options.Window, options.Passes, cancellationToken).ConfigureAwait(false);
            runs.Add((result, meter.Stop()));
        }

        var sorted = runs.OrderBy(r => r.Result.MegabytesPerSecond).ToList();
        var (median, cpu) = sorted[sorted.Count / 2];
        var mismatches = runs.Sum(r => r.Result.SizeMismatches);
        results.Add(new Measurement(
            string.Create(Invariant, $"RETR MB/s, {options.Window} in flight, 1 session"),
            target.Name,
            median.MegabytesPerSecond,
            string.Create(Invariant, $"median of {runs.Count} (min {sorted[0].Result.MegabytesPerSecond:0}, max {sorted[^1].Result.MegabytesPerSecond:0}); {median.Passes}×{median.Messages} messages, {median.WireBytes / 1e6:0.0} MB on the wire in {median.Seconds:0.000} s, {median.MessagesPerSecond:0} msgs/s; body sizes differing from LIST: {mismatches}; server CPU {cpu.ServerCores:0.00} cores, client CPU {cpu.ClientCores:0.00} cores ({cpu.ClientKernelCpu / cpu.ClientCpu:0%} in the kernel)")));
        if (mismatches > 0)
        {
            throw new LoadException($"{target.Name}: {mismatches} RETR bodies differ in size from LIST");
        }
    }

    private async Task IdleAsync(IBenchTarget target, BenchSetup setup, int sessions, CancellationToken cancellationToken)
    {
        // A few logins first, so that what is loaded once (code, the users file) is in the baseline.
        var warm = setup.LoginAccounts(options.Schemes[0], 1)[0];
        for (var i = 0; i < 3; i++)
        {
            await LoginLoad.OneSessionAsync(target.EndPoint, Commands(warm), cancellationToken).ConfigureAwait(false);
        }

        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        var before = ProcessTree.Memory(target.RootPid);
        var idle = await IdleSessions.OpenAsync(target.EndPoint, setup.IdleAccounts(sessions).Select(Commands).ToList(), options.IdleParallel, cancellationToken).ConfigureAwait(false);
        await using (idle.ConfigureAwait(false))
        {
            await Task.Delay(options.IdleHold, cancellationToken).ConfigureAwait(false);
            var after = ProcessTree.Memory(target.RootPid);
            var alive = await idle.CountAliveAsync(cancellationToken).ConfigureAwait(false);
            results.Add(new Measurement(
                string.Create(Invariant, $"KiB per idle session (PSS), {sessions} sessions"),
                target.Name,
                (after.PssKiB - before.PssKiB) / (double)sessions,
                string.Create(Invariant, $"PSS {before.PssKiB / 1024.0:0.0} → {after.PssKiB / 1024.0:0.0} MiB, RSS sum {before.RssKiB / 1024.0:0.0} → {after.RssKiB / 1024.0:0.0} MiB ({(after.RssKiB - before.RssKiB) / (double)sessions:0} KiB/session), processes {before.Processes} → {after.Processes}, alive {alive}/{sessions}"),
                LowerIsBetter: true));
        }
    }

    private static LoginCommands Commands(BenchAccount account) => new(account.Name, account.Password);
}
