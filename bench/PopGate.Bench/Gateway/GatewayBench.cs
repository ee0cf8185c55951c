using System.Globalization;
using System.Net;
using PopGate.Bench.Corpus;
using PopGate.Bench.Load;
using PopGate.Bench.Measure;
using PopGate.Bench.Server;
using PopGate.Testing;

namespace PopGate.Bench.Gateway;

/// <summary>
/// `popgate serve` in front of a large IMAP folder (Dovecot, Cyrus) or JMAP account (Cyrus): time from connect to
/// STAT's answer, at the first login after the gateway starts and at later ones; RETR throughput of the whole folder
/// through the gateway against the upstream's own download path in the same run; memory while a large message passes.
/// </summary>
public sealed class GatewayBench(GatewayBenchOptions options, BenchResults results)
{
    public const string Ours = "popgate";
    public const string DovecotPop3 = "dovecot-pop3";
    public const string CyrusImap = "cyrus-imap";
    public const string CyrusImapWhole = "cyrus-imap-1:*";

    private const string User = "bench";

    public async Task RunGatewayAsync(CancellationToken cancellationToken)
    {
        if (options.Upstreams.Contains("dovecot"))
        {
            await RunDovecotAsync(cancellationToken).ConfigureAwait(false);
        }

        if (options.Upstreams.Contains("cyrus"))
        {
            await RunCyrusAsync(jmap: false, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task RunJmapAsync(CancellationToken cancellationToken) => RunCyrusAsync(jmap: true, cancellationToken);

    private async Task RunDovecotAsync(CancellationToken cancellationToken)
    {
        using var corpusDir = new TempDir("popgate-gwbench-corpus");
        var corpus = await CorpusMaildir.WriteAsync(corpusDir.Path, options.Messages, options.Seed, cancellationToken).ConfigureAwait(false);
        await using var dovecot = await BenchUpstreams.StartDovecotAsync(corpus, options.LargeMegabytes, cancellationToken).ConfigureAwait(false);
        await WithoutFinalNewlineCheckAsync(dovecot, cancellationToken).ConfigureAwait(false);
        using var state = new TempDir("popgate-gwbench-state");
        var main = GatewayServe.Imap(dovecot.ImapPort, dovecot.Options.User, dovecot.Options.Password, options.ReadAheadKiB);
        main["StateDirectory"] = state.Path;
        var stores = new Dictionary<string, object>
        {
            [User] = main,
            [BenchUpstreams.BigUser] = GatewayServe.Imap(dovecot.ImapPort, BenchUpstreams.BigUser, BenchUpstreams.BigPassword, options.ReadAheadKiB),
        };
        await using var gateway = await GatewayServe.StartAsync(stores, options.Program).ConfigureAwait(false);
        var peer = new IPEndPoint(IPAddress.Loopback, dovecot.Pop3Port);
        var peerLogin = new LoginCommands(dovecot.Options.User, dovecot.Options.Password);
        var label = $"Dovecot IMAP, {options.Messages:N0} messages";
        await StatAsync(gateway, label, cancellationToken).ConfigureAwait(false);
        await AfterRestartAsync(main, label, cancellationToken).ConfigureAwait(false);
        var peerStats = await StatLatency.RepeatAsync(peer, peerLogin, options.Logins + 1, cancellationToken).ConfigureAwait(false);
        AddLater(DovecotPop3, label, peerStats.Skip(1).ToList(), "Dovecot's own POP3 on the same Maildir");

        var ours = new List<RetrResult>();
        var theirs = new List<RetrResult>();
        var theirCpu = 0.0;
        var (ourCpu, upstreamCpu) = (0.0, 0.0);
        for (var i = 0; i < options.Repetitions; i++)
        {
            var dovecotMeter = CpuMeter.Start(dovecot.MasterPid);
            theirs.Add(await RetrLoad.RunAsync(peer, peerLogin, options.Window, 1, cancellationToken).ConfigureAwait(false));
            theirCpu += dovecotMeter.Stop().ServerCpu;
            var gatewayMeter = CpuMeter.Start(gateway.ProcessId);
            var upstreamMeter = CpuMeter.Start(dovecot.MasterPid);
            ours.Add(await RetrLoad.RunAsync(GatewayServe.EndPoint(gateway), Login(User), options.Window, 1, cancellationToken).ConfigureAwait(false));
            ourCpu += gatewayMeter.Stop().ServerCpu;
            upstreamCpu += upstreamMeter.Stop().ServerCpu;
        }

        // CPU seconds per GB of messages, summed over the runs: what each path costs the machine.
        var gigabytes = ours.Sum(r => r.BodyBytes) / 1e9;
        var measure = $"RETR message MB/s, {label}, {options.Window} in flight";
        AddRetr(DovecotPop3, measure, theirs, Invariant($"; server CPU {theirCpu / gigabytes:0.0} s/GB (Dovecot pop3)"));
        AddRetr(Ours, measure, ours, Invariant($"; server CPU {ourCpu / gigabytes:0.0} s/GB (popgate) + {upstreamCpu / gigabytes:0.0} s/GB (Dovecot imap)"));
        if (options.LargeMegabytes > 0)
        {
            await MemoryAsync(gateway, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The same login with CheckFinalNewline off, in a process of its own: what the listing alone costs.</summary>
    private async Task WithoutFinalNewlineCheckAsync(DovecotServer dovecot, CancellationToken cancellationToken)
    {
        var store = GatewayServe.Imap(dovecot.ImapPort, dovecot.Options.User, dovecot.Options.Password, options.ReadAheadKiB);
        store["CheckFinalNewline"] = false;
        await using var gateway = await GatewayServe.StartAsync(new Dictionary<string, object> { [User] = store }, options.Program).ConfigureAwait(false);
        await StatAsync(gateway, $"Dovecot IMAP, {options.Messages:N0} messages, CheckFinalNewline off", cancellationToken).ConfigureAwait(false);
    }

    private async Task RunCyrusAsync(bool jmap, CancellationToken cancellationToken)
    {
        await using var cyrus = await BenchUpstreams.StartCyrusAsync(options.Messages, options.Seed, cancellationToken).ConfigureAwait(false);
        var (user, password) = (cyrus.Options.User, cyrus.Options.Password);
        using var state = new TempDir("popgate-gwbench-state");
        var store = jmap ? GatewayServe.Jmap(cyrus.HttpPort, user, password) : GatewayServe.Imap(cyrus.ImapPort, user, password, options.ReadAheadKiB);
        store["StateDirectory"] = state.Path;

        await using var gateway = await GatewayServe.StartAsync(new Dictionary<string, object> { [User] = store }, options.Program).ConfigureAwait(false);
        var label = $"Cyrus {(jmap ? "JMAP" : "IMAP")}, {options.Messages:N0} messages";
        await StatAsync(gateway, label, cancellationToken).ConfigureAwait(false);
        await AfterRestartAsync(store, label, cancellationToken).ConfigureAwait(false);

        var peer = new IPEndPoint(IPAddress.Loopback, cyrus.ImapPort);
        var ours = new List<RetrResult>();
        var theirs = new List<ImapFetchResult>();
        var whole = new List<ImapFetchResult>();
        for (var i = 0; i < options.Repetitions; i++)
        {
            theirs.Add(await ImapFetchLoad.RunAsync(peer, user, password, options.Window, wholeFolder: false, cancellationToken).ConfigureAwait(false));
            whole.Add(await ImapFetchLoad.RunAsync(peer, user, password, options.Window, wholeFolder: true, cancellationToken).ConfigureAwait(false));
            ours.Add(await RetrLoad.RunAsync(GatewayServe.EndPoint(gateway), Login(User), options.Window, 1, cancellationToken).ConfigureAwait(false));
        }

        var measure = $"RETR message MB/s, {label}, {options.Window} in flight";
        var median = theirs.OrderBy(r => r.MegabytesPerSecond).ElementAt(theirs.Count / 2);
        results.Add(new Measurement(measure, CyrusImap, median.MegabytesPerSecond, Invariant(
            $"UID FETCH uid (BODY.PEEK[]) straight from Cyrus; {median.Messages} messages, {median.BodyBytes / 1e6:0.0} MB in {median.Seconds:0.00} s; runs {string.Join(" / ", theirs.Select(r => r.MegabytesPerSecond.ToString("0.0", CultureInfo.InvariantCulture)))} MB/s")));
        var wholeMedian = whole.OrderBy(r => r.MegabytesPerSecond).ElementAt(whole.Count / 2);
        results.Add(new Measurement(measure, CyrusImapWhole, wholeMedian.MegabytesPerSecond, Invariant(
            $"one UID FETCH 1:* (BODY.PEEK[]) straight from Cyrus; {wholeMedian.Messages} messages, {wholeMedian.BodyBytes / 1e6:0.0} MB in {wholeMedian.Seconds:0.00} s; runs {string.Join(" / ", whole.Select(r => r.MegabytesPerSecond.ToString("0.0", CultureInfo.InvariantCulture)))} MB/s")));
        AddRetr(Ours, measure, ours);
    }

    /// <summary>The first login after the gateway started, then the later ones.</summary>
    private async Task StatAsync(GatewayProcess gateway, string label, CancellationToken cancellationToken)
    {
        var endPoint = GatewayServe.EndPoint(gateway);
        var timings = await StatLatency.RepeatAsync(endPoint, Login(User), options.Logins + 1, cancellationToken).ConfigureAwait(false);
        results.Add(new Measurement($"connect → STAT ms, first login, {label}", Ours, timings[0].Milliseconds, "STAT " + timings[0].Stat, LowerIsBetter: true));
        AddLater(Ours, label, timings.Skip(1).ToList(), "STAT " + timings[^1].Stat);
    }

    /// <summary>A second `popgate serve` with the same store and state directory: the first login after a restart.</summary>
    private async Task AfterRestartAsync(Dictionary<string, object> store, string label, CancellationToken cancellationToken)
    {
        await using var restarted = await GatewayServe.StartAsync(new Dictionary<string, object> { [User] = store }, options.Program).ConfigureAwait(false);
        var timing = await StatLatency.MeasureAsync(GatewayServe.EndPoint(restarted), Login(User), cancellationToken).ConfigureAwait(false);
        results.Add(new Measurement($"connect → STAT ms, first login after a restart (StateDirectory), {label}", Ours, timing.Milliseconds, "STAT " + timing.Stat, LowerIsBetter: true));
    }

    private void AddLater(string server, string label, IReadOnlyList<StatTiming> timings, string details)
    {
        var sorted = timings.Select(t => t.Milliseconds).Order().ToList();
        results.Add(new Measurement(
            $"connect → STAT ms, later logins (median), {label}",
            server,
            sorted[sorted.Count / 2],
            Invariant($"{details}; {sorted.Count} logins, min {sorted[0]:0.0}, max {sorted[^1]:0.0} ms"),
            LowerIsBetter: true));
    }

    private void AddRetr(string server, string measure, List<RetrResult> runs, string extra = "")
    {
        var median = runs.OrderBy(r => r.MegabytesPerSecond).ElementAt(runs.Count / 2);
        results.Add(new Measurement(measure, server, median.BodyBytes / median.Seconds / 1e6, Invariant(
            $"{median.Messages} messages, {median.BodyBytes / 1e6:0.0} MB in {median.Seconds:0.00} s ({median.MessagesPerSecond:0} msg/s); runs {string.Join(" / ", runs.Select(r => (r.BodyBytes / r.Seconds / 1e6).ToString("0.0", CultureInfo.InvariantCulture)))} MB/s; body sizes differing from LIST: {runs.Sum(r => r.SizeMismatches)}{extra}")));
    }

    /// <summary>Peak RSS of `popgate serve` while a small message and then a large one pass through the IMAP store.</summary>
    private async Task MemoryAsync(GatewayProcess gateway, CancellationToken cancellationToken)
    {
        var endPoint = GatewayServe.EndPoint(gateway);
        var login = Login(BenchUpstreams.BigUser);
        var before = RssSampler.CurrentKiB(gateway.ProcessId);
        foreach (var (number, name) in new[] { (1, "small"), (2, $"{options.LargeMegabytes} MiB") })
        {
            var (bytes, peak) = await RssSampler.PeakWhileAsync(gateway.ProcessId, () => RetrOneAsync(endPoint, login, number, cancellationToken), cancellationToken).ConfigureAwait(false);
            results.Add(new Measurement(
                $"peak RSS MiB of popgate serve, RETR of one {(number == 1 ? "small" : "large")} message (Dovecot IMAP)",
                Ours,
                peak / 1024.0,
                Invariant($"{name} message, {bytes / 1e6:0.00} MB received; RSS before the session {before / 1024.0:0.0} MiB"),
                LowerIsBetter: true));
        }
    }

    private static async Task<long> RetrOneAsync(IPEndPoint endPoint, LoginCommands login, int number, CancellationToken cancellationToken)
    {
        var wire = await Pop3Wire.LoginAsync(endPoint, login, 256 * 1024, cancellationToken).ConfigureAwait(false);
        await using (wire.ConfigureAwait(false))
        {
            await wire.SendAsync(System.Text.Encoding.ASCII.GetBytes($"RETR {number}\r\n"), cancellationToken).ConfigureAwait(false);
            var counter = new ReplyCounter();
            long? size = null;
            while (size is null)
            {
                if (await wire.FillAsync(cancellationToken).ConfigureAwait(false) == 0)
                {
                    throw new LoadException("the gateway closed the connection during RETR");
                }

                counter.Feed(wire.Pending, s => size = s);
                wire.Consume(wire.Pending.Length);
            }

            // QUIT before the next login: the gateway allows one session per maildrop.
            await wire.ExpectOkAsync("QUIT\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            return size.Value;
        }
    }

    private static LoginCommands Login(string user) => new(user, GatewayServe.Password);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
