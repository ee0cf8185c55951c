using System.Globalization;
using PopGate.Bench.Corpus;
using PopGate.Testing;

namespace PopGate.Bench.Download;

/// <summary>
/// The server the downloaders take mail from: a private Dovecot POP3 whose user's Maildir is refilled before every
/// run with hard links to the first N corpus files, as a local delivery agent would have left them.
/// </summary>
public sealed class DownloadSource : IAsyncDisposable
{
    private readonly DovecotServer _server;

    private DownloadSource(DovecotServer server) => _server = server;

    public int Port => _server.Pop3Port;

    public string User => _server.Options.User;

    public string Password => _server.Options.Password;

    public static async Task<DownloadSource> StartAsync() =>
        new(await DovecotServer.StartAsync().ConfigureAwait(false));

    /// <summary>Empties the mailbox, links in the first <paramref name="count"/> messages, and checks with STAT
    /// that the server sees them (which also builds Dovecot's index before anything is timed).</summary>
    public async Task RefillAsync(CorpusMaildir corpus, int count)
    {
        await _server.ClearMailAsync().ConfigureAwait(false);
        corpus.LinkInto(_server.Maildir, count);
        var seen = await CountAsync().ConfigureAwait(false);
        if (seen != count)
        {
            throw new InvalidOperationException($"the server lists {seen} messages after a refill with {count}\n{_server.ReadLog()}");
        }
    }

    /// <summary>The number of messages STAT reports, asked directly (not through the proxy).</summary>
    public async Task<int> CountAsync()
    {
        await using var client = await RawPop3Client.ConnectAsync(Port).ConfigureAwait(false);
        Expect(await client.ReadLineAsync().ConfigureAwait(false), "greeting");
        Expect(await client.CommandAsync("USER " + User).ConfigureAwait(false), "USER");
        Expect(await client.CommandAsync("PASS " + Password).ConfigureAwait(false), "PASS");
        var stat = await client.CommandAsync("STAT").ConfigureAwait(false);
        Expect(stat, "STAT");
        await client.CommandAsync("QUIT").ConfigureAwait(false);
        return int.Parse(stat.Split(' ')[1], NumberStyles.None, CultureInfo.InvariantCulture);
    }

    private void Expect(string reply, string what)
    {
        if (!reply.StartsWith("+OK", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{what}: {reply}\n{_server.ReadLog()}");
        }
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
