using PopGate.Testing;

namespace PopGate.Interop.Server;

/// <summary>getmail6 against `popgate serve`, delivering to a Maildir and deleting; run as nobody (it refuses root).</summary>
public sealed class GetmailTests(ServeFixture fixture) : IClassFixture<ServeFixture>
{
    private PopGateServer Server => fixture.Server;

    [Fact]
    public async Task Delivers_every_message_as_getmail_would_from_a_correct_server_and_deletes()
    {
        var user = await Server.AddMaildirUserAsync(ServeFixture.Messages);
        using var work = new TempDir("getmail");
        var state = work.Sub("state");
        await ProcessRunner.ChownAsync(work.Path, "nobody");

        // getmail6 now and then hangs in its own child handling (upstream issues #52, #64, #226), the more often the
        // more messages a run delivers. So each run takes a bounded batch into a Maildir of its own; a run that hangs
        // is killed, and when that was before QUIT the server must be untouched and its Maildir is thrown away. Runs go on
        // until the server is empty: every message must then have been delivered by exactly one finished run.
        var delivered = new List<byte[]>();
        var finishedRuns = 0;
        for (var run = 0; run < 80 && user.MaildirCount() > 0; run++)
        {
            var destination = work.Sub($"Maildir-{run}");
            foreach (var sub in new[] { "tmp", "new", "cur" })
            {
                Directory.CreateDirectory(Path.Combine(destination, sub));
            }
            await File.WriteAllTextAsync(Path.Combine(state, "getmailrc"), $"""
                [retriever]
                type = SimplePOP3Retriever
                server = 127.0.0.1
                port = {Server.Port}
                username = {user.Name}
                password = {user.Password}

                [destination]
                type = Maildir
                path = {destination}/

                [options]
                delete = true
                read_all = true
                delivered_to = false
                received = false
                verbose = 0
                max_messages_per_session = 30

                """);
            await ProcessRunner.ChownAsync(work.Path, "nobody");
            var before = user.MaildirCount();
            var result = await ProcessRunner.RunAsync(PeerProgram.Require("getmail"), ["--rcfile", "getmailrc", "--getmaildir", state], TimeSpan.FromSeconds(20), asUser: "nobody");
            if (result.TimedOut && user.MaildirCount() == before)
            {
                continue;
            }
            // A run that hung after its QUIT was answered has delivered its whole batch: it counts like a finished one.
            Assert.True(result.ExitCode == 0 || result.TimedOut, result.ToString());
            var batch = DeliveredMail.Read(destination);
            Assert.Equal(before - batch.Count, user.MaildirCount());
            delivered.AddRange(batch);
            finishedRuns++;
        }
        Assert.True(finishedRuns > 0, "getmail never finished a run");

        using var expectedDir = new TempDir("getmail-expected");
        var expectation = await ProcessRunner.RunAsync(
            // The Python getmail itself runs on (Debian's), which has its getmailcore package.
            PeerProgram.Require("/usr/bin/python3"),
            [Path.Combine(AppContext.BaseDirectory, "Scripts", "getmail_expected.py"), expectedDir.Path, .. ServeFixture.Files],
            TimeSpan.FromMinutes(2));
        Assert.True(expectation.ExitCode == 0, expectation.ToString());
        var expected = Enumerable.Range(0, ServeFixture.Files.Count).Select(i => File.ReadAllBytes(Path.Combine(expectedDir.Path, i.ToString()))).ToList();

        DeliveredMail.AssertSameMessages(expected, delivered, i => ServeFixture.Files[i]);
        Assert.Equal(0, user.MaildirCount());
    }
}
