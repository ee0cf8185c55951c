using System.Text;
using PopGate.Testing;
using Xunit.Abstractions;

namespace PopGate.Interop.Fetch;

/// <summary>
/// The round trips a download costs, counted by a latency proxy in front of Dovecot, for `popgate fetch` and for
/// mpop (the pipelining downloader to beat) on the same 200 messages in the same run.
/// </summary>
public sealed class RoundTripTests(DovecotFetchPeer peer, ITestOutputHelper output) : IClassFixture<DovecotFetchPeer>
{
    private static readonly byte[][] Messages = Enumerable.Range(0, 200)
        .Select(i => Encoding.ASCII.GetBytes($"Subject: rt {i}\r\n\r\n{string.Concat(Enumerable.Repeat($"line of message {i}\r\n", 1 + (i * 37 % 400)))}"))
        .ToArray();

    [Fact]
    public async Task Popgate_fetch_needs_fewer_client_turns_than_mpop()
    {
        var mpop = PeerProgram.Require("mpop");
        using var dir = new TempDir("fetch-rt");

        var mailbox = await peer.MailboxAsync(Messages);
        await using var proxy = LatencyProxy.Start(mailbox.Port, TimeSpan.FromMilliseconds(10));
        var maildir = Path.Combine(dir.Path, "popgate");
        var run = await FetchProcess.RunAsync(mailbox, mailbox.SpecThrough(proxy.Port), maildir, "--state", Path.Combine(dir.Path, "state.sqlite"));
        Assert.True(run.ExitCode == 0, run.ToString());
        var ours = proxy.ClientTurns;
        Assert.Equal(Messages.Length, Delivered.Maildir(maildir).Count);
        Assert.Equal(0, mailbox.ServerCount());

        mailbox = await peer.MailboxAsync(Messages);
        proxy.ResetCounters();
        var mpopDir = dir.Sub("mpop");
        foreach (var sub in new[] { "tmp", "new", "cur" })
        {
            Directory.CreateDirectory(Path.Combine(mpopDir, sub));
        }

        var config = Path.Combine(dir.Path, "mpoprc");
        await File.WriteAllTextAsync(config, $"""
            account test
            host 127.0.0.1
            port {proxy.Port}
            user {mailbox.User}
            password {mailbox.Password}
            tls off
            auth user
            received_header off
            pipelining on
            uidls_file {Path.Combine(dir.Path, "uidls")}
            delivery maildir {mpopDir}
            """);
        File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var result = await ProcessRunner.RunAsync(mpop, ["-C", config, "-q", "test"], TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, result.ToString());
        var theirs = proxy.ClientTurns;
        Assert.Equal(0, mailbox.ServerCount());

        output.WriteLine($"client turns for 200 messages: popgate fetch {ours}, mpop {theirs}");
        Assert.True(ours < theirs, $"popgate fetch took {ours} client turns, mpop {theirs}");
        Assert.True(ours <= 4, $"popgate fetch took {ours} client turns; CAPA, login with listing, RETRs, DELEs with QUIT make 4");
    }

    [Fact]
    public async Task A_later_run_logs_in_with_the_connection_by_what_the_server_announced_before()
    {
        using var dir = new TempDir("fetch-rt-known");
        var state = Path.Combine(dir.Path, "state.sqlite");
        var mailbox = await peer.MailboxAsync(Messages.Take(20).ToList());

        // A long link (the greeting comes 600 ms after connect), so that "before the greeting" does not depend on
        // how fast this machine starts the program.
        await using var proxy = LatencyProxy.Start(mailbox.Port, TimeSpan.FromMilliseconds(150));
        var first = await FetchProcess.RunAsync(mailbox, mailbox.SpecThrough(proxy.Port), Path.Combine(dir.Path, "first"), "--state", state);
        Assert.True(first.ExitCode == 0, first.ToString());
        var firstTurns = proxy.ClientTurns;

        mailbox = await peer.MailboxAsync(Messages);
        proxy.ResetCounters();
        using var trace = new StringWriter();
        proxy.Trace = trace;
        var maildir = Path.Combine(dir.Path, "second");
        var second = await FetchProcess.RunAsync(mailbox, mailbox.SpecThrough(proxy.Port), maildir, "--state", state);
        proxy.Trace = null;
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(Messages.Length, Delivered.Maildir(maildir).Count);
        Assert.Equal(0, mailbox.ServerCount());

        // Before the server says anything (the greeting included), the client has written CAPA, the login and the
        // listing; RETRs and QUIT follow.
        var beforeGreeting = string.Concat(trace.ToString().Split('\n')
            .TakeWhile(l => !l.Contains(" s>c ", StringComparison.Ordinal))
            .Where(l => l.Contains(" c>s ", StringComparison.Ordinal)));
        foreach (var command in new[] { "CAPA", "USER ", "PASS ", "STAT", "UIDL", "LIST" })
        {
            Assert.Contains(command, beforeGreeting, StringComparison.Ordinal);
        }

        output.WriteLine($"client turns: first run {firstTurns}, later run {proxy.ClientTurns}");
        Assert.True(proxy.ClientTurns <= 3, $"a later run took {proxy.ClientTurns} client turns; login with listing, RETRs, DELEs with QUIT make 3");
        Assert.True(proxy.ClientTurns < firstTurns, $"first run {firstTurns} client turns, later run {proxy.ClientTurns}");
    }
}
