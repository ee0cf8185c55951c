using PopGate.Testing;

namespace PopGate.Interop.Fetch;

/// <summary>Dovecot's POP3 on loopback, started once per test class; its one account is emptied for each mailbox.</summary>
public class DovecotFetchPeer : IFetchPeer, IAsyncLifetime
{
    public DovecotServer Dovecot { get; private set; } = null!;

    public async Task InitializeAsync() => Dovecot = await DovecotServer.StartAsync(new DovecotOptions { Performance = true });

    public async Task<FetchMailbox> MailboxAsync(IReadOnlyList<byte[]> messages)
    {
        await Dovecot.ClearMailAsync();
        await Dovecot.AddMessagesAsync(messages);
        var maildir = Dovecot.Maildir;
        return new FetchMailbox(
            "127.0.0.1",
            Dovecot.Pop3Port,
            Dovecot.Options.User,
            Dovecot.Options.Password,
            () => Directory.GetFiles(Path.Combine(maildir, "new")).Length + Directory.GetFiles(Path.Combine(maildir, "cur")).Length,
            more => Dovecot.AddMessagesAsync(more));
    }

    public async Task DisposeAsync() => await Dovecot.DisposeAsync();
}

/// <summary>`popgate serve` as a process, started once per test class; each mailbox is a new user with its own Maildir.</summary>
public class PopGateFetchPeer : IFetchPeer, IAsyncLifetime
{
    private int _added;

    public PopGateServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await PopGateServer.StartAsync();

    public async Task<FetchMailbox> MailboxAsync(IReadOnlyList<byte[]> messages)
    {
        var user = await Server.AddMaildirUserAsync(messages);
        return new FetchMailbox("127.0.0.1", Server.Port, user.Name, user.Password, user.MaildirCount, async more =>
        {
            foreach (var message in more)
            {
                var i = Interlocked.Increment(ref _added);
                await File.WriteAllBytesAsync(Path.Combine(user.Maildir!, "new", $"{1_800_000_000 + i}.M{i}P0.added"), message);
            }
        });
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
