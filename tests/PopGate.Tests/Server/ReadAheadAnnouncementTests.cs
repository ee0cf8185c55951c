using System.Net;
using System.Text;
using PopGate.Server;
using PopGate.Stores;
using PopGate.Testing;

namespace PopGate.Tests.Server;

/// <summary>The session tells a maildrop that can read ahead which RETRs a pipelining client has already sent.</summary>
public sealed class ReadAheadAnnouncementTests
{
    [Fact]
    public async Task Each_retr_announces_the_valid_retrs_queued_behind_it()
    {
        var maildrop = new RecordingMaildrop(6);
        var accounts = new AccountList().Add("u", "p", new SingleStore(maildrop));
        var options = new Pop3ServerOptions { Listeners = [new ListenerOptions(new IPEndPoint(IPAddress.Loopback, 0))], HostName = "test.example" };
        await using var server = new Pop3Server(options, accounts);
        await server.StartAsync();
        await using var client = await RawPop3Client.ConnectAsync(server.EndPoints[0].Port);
        await client.ReadLineAsync();
        Assert.StartsWith("+OK", await client.CommandAsync("USER u"));
        Assert.StartsWith("+OK", await client.CommandAsync("PASS p"));

        // One write, as a pipelining client sends it: unknown numbers, the current message and TOP are not announced.
        await client.SendAsync("RETR 1\r\nRETR 3\r\nDELE 2\r\nretr 5\r\nRETR 99\r\nTOP 4 0\r\nRETR 3\r\nQUIT\r\n");
        var lines = new List<string>();
        while (await client.ReadLineAsync() is { } line)
        {
            lines.Add(line);
            if (line.StartsWith("+OK bye", StringComparison.Ordinal) || line.Contains("deleted,", StringComparison.Ordinal))
            {
                break;
            }
        }

        Assert.Equal([[2, 4, 2], [4], [2], []], maildrop.Announced.Take(4));
        Assert.Equal([0, 2, 4, 3, 2], maildrop.Written);
    }

    private sealed class SingleStore(IMaildrop maildrop) : IMailStore
    {
        public ValueTask<IMaildrop> OpenAsync(MaildropRequest request, CancellationToken cancellationToken) => ValueTask.FromResult(maildrop);
    }

    private sealed class RecordingMaildrop(int count) : IMaildrop, IReadAhead
    {
        private List<int> _pending = [];

        public List<List<int>> Announced { get; } = [];

        public List<int> Written { get; } = [];

        public IReadOnlyList<MessageEntry> Messages { get; } =
            Enumerable.Range(0, count).Select(i => new MessageEntry("m" + i, Body(i).Length)).ToList();

        public void Upcoming(IReadOnlyList<int> indexes) => _pending = [.. indexes];

        public async ValueTask WriteMessageAsync(int index, IMessageSink sink, int? bodyLines, CancellationToken cancellationToken)
        {
            if (bodyLines is null)
            {
                Announced.Add(_pending);
            }

            _pending = [];
            Written.Add(index);
            await sink.WriteAsync(Body(index), cancellationToken);
        }

        public ValueTask CommitAsync(IReadOnlyCollection<int> deleted, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private static byte[] Body(int index) => Encoding.ASCII.GetBytes($"Subject: {index}\r\n\r\nbody\r\n");
    }
}
