using System.Net;
using System.Net.Sockets;
using System.Text;
using PopGate.Client;
using PopGate.Fetch;
using PopGate.Testing;
using PopGate.Tests.Client;

namespace PopGate.Tests.Fetch;

/// <summary>
/// The download engine through the library, on a loopback socket to a small server that holds its replies until
/// the client goes quiet: with PIPELINING the login and listing are written ahead together, without it the client
/// keeps to one command at a time; either way every message is delivered and deleted.
/// </summary>
public sealed class FetcherTests
{
    private sealed class Recorder : IFetchProgress
    {
        public List<string> Failures { get; } = [];

        public void Planned(string account, int messages, long bytes)
        {
        }

        public void Delivered(string account, FetchedMessage message, long octets)
        {
        }

        public void Failed(string account, FetchedMessage message, string problem)
        {
            lock (Failures)
            {
                Failures.Add(problem);
            }
        }

        public void Note(string account, string text)
        {
        }
    }

    private static async Task<(FetchSummary Summary, FakeMaildropServer Server, Recorder Progress)> FetchAsync(
        IReadOnlyList<byte[]> messages, bool pipelining, string root, string state, FetchOptions options, Func<string, Task>? prepare = null)
    {
        var server = new FakeMaildropServer(messages, pipelining, quiet: TimeSpan.FromMilliseconds(30));
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var serving = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync();
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            await server.Run(stream);
        });

        var spec = new ConnectionSpec("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port, ConnectionSecurity.None, "u");
        if (prepare is not null)
        {
            await prepare(MessageIdentity.Server(spec, "u"));
        }

        await using var maildir = new MaildirDelivery(root, LineEnds.Lf);
        var account = new FetchAccount(
            "test",
            spec,
            new Pop3Credentials("u") { Password = "p", Mechanism = "USER" },
            new Pop3ClientOptions { AllowCleartextPasswords = true, CapaWithGreeting = true, PreferSingleTurnLogin = true },
            maildir,
            state,
            options);
        var progress = new Recorder();
        var summary = await new Fetcher(account, progress).RunAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await serving.WaitAsync(TimeSpan.FromSeconds(10));
        return (summary, server, progress);
    }

    [Fact]
    public async Task A_delivery_the_state_store_never_heard_of_is_found_by_its_digest_and_only_deleted()
    {
        var messages = Enumerable.Range(1, 5).Select(i => Encoding.ASCII.GetBytes($"Subject: {i}\r\n\r\nbody {i}\r\n")).ToList();
        using var dir = new TempDir("fetcher");
        var root = Path.Combine(dir.Path, "Mail");
        foreach (var sub in new[] { "tmp", "new", "cur" })
        {
            Directory.CreateDirectory(Path.Combine(root, sub));
        }

        // As if a run was killed right after renaming message 3 into place, before recording it.
        var (summary, server, progress) = await FetchAsync(messages, pipelining: true, root, Path.Combine(dir.Path, "state.sqlite"), new FetchOptions(),
            serverId => File.WriteAllTextAsync(
                Path.Combine(root, "cur", MaildirNames.New(MessageIdentity.Digest(serverId, "uid-3"), DateTimeOffset.UtcNow) + ":2,S"),
                "Subject: 3\n\nbody 3\n"));

        Assert.True(summary.Complete, $"{summary.Error}\n{string.Join('\n', progress.Failures)}");
        Assert.Equal(4, summary.Fetched);
        Assert.Equal(5, summary.Deleted);
        Assert.Equal(5, Directory.GetFiles(Path.Combine(root, "new")).Length + Directory.GetFiles(Path.Combine(root, "cur")).Length);
        Assert.DoesNotContain("RETR 3", server.Received);
        Assert.Contains("DELE 3", server.Received);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Every_message_is_delivered_and_deleted_pipelined_or_in_lock_step(bool pipelining)
    {
        var messages = Enumerable.Range(1, 30).Select(i => Encoding.ASCII.GetBytes($"Subject: {i}\r\n\r\nbody {i}\r\n")).ToList();
        using var dir = new TempDir("fetcher");
        var (summary, server, progress) = await FetchAsync(messages, pipelining, Path.Combine(dir.Path, "Mail"), Path.Combine(dir.Path, "state.sqlite"), new FetchOptions());

        Assert.True(summary.Complete, $"{summary.Error}\n{string.Join('\n', progress.Failures)}");
        Assert.Equal(30, summary.Fetched);
        Assert.Equal(30, summary.Deleted);
        Assert.Equal(Enumerable.Range(1, 30), server.Deleted.Order());
        Assert.Equal("QUIT", server.Received[^1]);
        var delivered = Directory.GetFiles(Path.Combine(dir.Path, "Mail", "new")).Select(File.ReadAllText).Order(StringComparer.Ordinal);
        Assert.Equal(messages.Select(m => Encoding.ASCII.GetString(m).Replace("\r\n", "\n", StringComparison.Ordinal)).Order(StringComparer.Ordinal), delivered);
        if (pipelining)
        {
            Assert.True(server.MaxQueued >= 5, $"at most {server.MaxQueued} commands were written ahead");
            Assert.True(server.Received.IndexOf("QUIT") > server.Received.FindLastIndex(c => c.StartsWith("RETR", StringComparison.Ordinal)));
        }
        else
        {
            Assert.Equal(1, server.MaxQueued);
        }
    }
}
