using System.Text;
using PopGate.Testing;
using Xunit.Abstractions;

namespace PopGate.Interop.Fetch;

/// <summary>
/// Crash safety of `popgate fetch` against Dovecot: the process is killed with SIGKILL at random moments, or its
/// connection is cut by a proxy in the middle of a RETR, again and again, then a clean run finishes the job.
/// Every message must then be at the destination exactly once, and the server must be empty.
/// </summary>
public sealed class FetchCrashTests(DovecotFetchPeer peer, ITestOutputHelper output) : IClassFixture<DovecotFetchPeer>
{
    private const int MessageCount = 300;

    [Fact]
    public Task Killed_at_random_moments_a_maildir_gets_every_message_exactly_once() =>
        KillRepeatedlyAsync(mbox: false, kills: 12, seed: Environment.TickCount);

    [Fact]
    public Task Killed_at_random_moments_an_mbox_gets_every_message_exactly_once() =>
        KillRepeatedlyAsync(mbox: true, kills: 12, seed: Environment.TickCount);

    [Fact]
    public async Task Connection_cut_mid_retr_loses_and_duplicates_nothing()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var messages = Messages(random);
        var total = messages.Sum(m => (long)m.Length);
        using var dir = new TempDir("fetch-cut");
        var mailbox = await peer.MailboxAsync(messages);
        await using var proxy = LatencyProxy.Start(mailbox.Port, TimeSpan.Zero);
        var maildir = Path.Combine(dir.Path, "Maildir");
        string[] arguments = [mailbox.SpecThrough(proxy.Port), maildir, "--state", Path.Combine(dir.Path, "state.sqlite")];

        var cutRuns = 0;
        for (var i = 0; i < 10; i++)
        {
            // Past the listing (about 15 kB for 300 messages), then anywhere in the bodies.
            var cut = random.NextInt64(20_000, total / 4);
            proxy.CutAfterServerBytes = cut;
            var run = await FetchProcess.RunAsync(mailbox, arguments);
            output.WriteLine($"cut after {cut} octets: exit {run.ExitCode}, {mailbox.ServerCount()} on the server, {Delivered.Maildir(maildir).Count} delivered");
            Assert.True(run.ExitCode is 0 or 3, $"seed {seed}: {run}");
            if (run.ExitCode == 3)
            {
                cutRuns++;
                Assert.Single(run.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            }
        }

        proxy.CutAfterServerBytes = null;
        var final = await FetchProcess.RunAsync(mailbox, arguments);
        Assert.True(final.ExitCode == 0, $"seed {seed}: {final}");
        Assert.True(cutRuns >= 5, $"seed {seed}: only {cutRuns} runs were cut");
        Delivered.AssertSameMessages(messages.Select(m => Delivered.Expected(m, crlf: false)), Delivered.Maildir(maildir));
        Assert.Equal(0, mailbox.ServerCount());
    }

    private async Task KillRepeatedlyAsync(bool mbox, int kills, int seed)
    {
        var random = new Random(seed);
        var messages = Messages(random);
        using var dir = new TempDir("fetch-kill");
        var mailbox = await peer.MailboxAsync(messages);

        // A delay and a small window stretch the download over many round trips (64 kB per 20 ms: about 2 s for the
        // 6 MB), so kills up to 700 ms after the bodies start flowing land inside it however fast the client is.
        await using var proxy = LatencyProxy.Start(mailbox.Port, TimeSpan.FromMilliseconds(10));
        var destination = mbox ? Path.Combine(dir.Path, "inbox.mbox") : Path.Combine(dir.Path, "Maildir");
        string[] arguments = mbox
            ? [mailbox.SpecThrough(proxy.Port), "--mbox", destination, "--state", Path.Combine(dir.Path, "state.sqlite"), "--window-bytes", "65536"]
            : [mailbox.SpecThrough(proxy.Port), destination, "--state", Path.Combine(dir.Path, "state.sqlite"), "--window-bytes", "65536"];

        var landed = 0;
        for (var i = 0; i < kills && mailbox.ServerCount() > 0; i++)
        {
            proxy.ResetCounters();
            using var process = FetchProcess.Start(mailbox, arguments);

            // The moment is random within the download: from when bodies flow (past the listing) on.
            while (!process.HasExited && proxy.ServerToClientBytes < 20_000)
            {
                await Task.Delay(5);
            }

            var delay = TimeSpan.FromMilliseconds(random.Next(0, 700));
            using var limit = new CancellationTokenSource(delay);
            var killed = false;
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
                await process.WaitForExitAsync();
                killed = true;
                landed++;
            }

            var delivered = mbox ? Delivered.Mbox(destination).Count : Delivered.MaildirFiles(destination).Count;
            output.WriteLine($"run {i}: {(killed ? "killed" : $"exit {process.ExitCode}")} {delay.TotalMilliseconds} ms into the download; {delivered} delivered, {mailbox.ServerCount()} on the server");
        }

        var final = await FetchProcess.RunAsync(mailbox, arguments);
        Assert.True(final.ExitCode == 0, $"seed {seed}: {final}");
        Assert.True(landed >= 3, $"seed {seed}: only {landed} kills landed during a download");
        var expected = messages.Select(m => Delivered.Expected(m, crlf: false));
        Delivered.AssertSameMessages(expected, mbox ? Delivered.Mbox(destination) : Delivered.Maildir(destination));
        Assert.Equal(0, mailbox.ServerCount());
    }

    /// <summary>Distinct messages of 2 to 40 kB with dot lines, "From " lines and a few bare LFs.</summary>
    private static byte[][] Messages(Random random) =>
        Enumerable.Range(0, MessageCount).Select(i =>
        {
            var body = new StringBuilder();
            var size = random.Next(2_000, 40_000);
            var line = 0;
            while (body.Length < size)
            {
                body.Append((line++ % 7) switch
                {
                    0 => ".",
                    1 => "From somebody in the body",
                    2 => ">From quoted already",
                    _ => new string((char)('a' + random.Next(26)), random.Next(1, 200)),
                }).Append(random.Next(10) == 0 ? "\n" : "\r\n");
            }

            return Encoding.ASCII.GetBytes($"Subject: crash test {i}\r\nX-Seq: {i}\r\n\r\n{body}");
        }).ToArray();
}
