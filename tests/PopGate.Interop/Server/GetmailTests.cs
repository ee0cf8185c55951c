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
        var destination = work.Sub("Maildir");
        foreach (var sub in new[] { "tmp", "new", "cur" })
        {
            Directory.CreateDirectory(Path.Combine(destination, sub));
        }

        var state = work.Sub("state");
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

            """);
        await ProcessRunner.ChownAsync(work.Path, "nobody");
        // getmail6 sometimes hangs in its own child handling (upstream issues #52, #64, #226) before QUIT. The server
        // then deletes nothing, so a bounded run is retried into an emptied destination.
        ProcessResult result;
        var attempts = 0;
        do
        {
            foreach (var file in Directory.GetFiles(destination, "*", SearchOption.AllDirectories))
            {
                File.Delete(file);
            }

            result = await ProcessRunner.RunAsync(PeerProgram.Require("getmail"), ["--rcfile", "getmailrc", "--getmaildir", state], TimeSpan.FromSeconds(60), asUser: "nobody");
        }
        while (result.TimedOut && ++attempts < 3);

        Assert.True(result.ExitCode == 0, result.ToString());

        using var expectedDir = new TempDir("getmail-expected");
        var expectation = await ProcessRunner.RunAsync(
            // The Python getmail itself runs on (Debian's), which has its getmailcore package.
            PeerProgram.Require("/usr/bin/python3"),
            [Path.Combine(AppContext.BaseDirectory, "Scripts", "getmail_expected.py"), expectedDir.Path, .. ServeFixture.Files],
            TimeSpan.FromMinutes(2));
        Assert.True(expectation.ExitCode == 0, expectation.ToString());
        var expected = Enumerable.Range(0, ServeFixture.Files.Count).Select(i => File.ReadAllBytes(Path.Combine(expectedDir.Path, i.ToString()))).ToList();

        DeliveredMail.AssertSameMessages(expected, DeliveredMail.Read(destination), i => ServeFixture.Files[i]);
        Assert.Equal(0, user.MaildirCount());
    }
}
