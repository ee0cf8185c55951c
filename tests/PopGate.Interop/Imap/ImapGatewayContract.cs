using System.Globalization;
using System.Net;
using System.Text;
using PopGate.Server;
using PopGate.Stores.Imap;
using PopGate.Testing;

namespace PopGate.Interop.Imap;

/// <summary>A POP3 session of the in-process server in front of the IMAP store: what a POP3 client sees.</summary>
public abstract class ImapGatewayContract<TPeer>(TPeer peer) : ImapStoreContract<TPeer>(peer)
    where TPeer : ImapPeer
{
    private const string User = "alice";
    private const string Password = "gateway pass";

    private static async Task<Pop3Server> GatewayAsync(ImapStoreOptions options)
    {
        var server = new Pop3Server(
            new Pop3ServerOptions
            {
                Listeners = [new ListenerOptions(new IPEndPoint(IPAddress.Loopback, 0))],
                HostName = "gateway.test",
                AuthFailureDelay = TimeSpan.FromMilliseconds(10),
                MaxAuthFailureDelay = TimeSpan.FromMilliseconds(50),
            },
            new AccountList().Add(User, Password, new ImapStore(options)));
        await server.StartAsync();
        return server;
    }

    private static async Task<RawPop3Client> LoginAsync(Pop3Server server)
    {
        var client = await RawPop3Client.ConnectAsync(server.EndPoints[0].Port);
        Assert.StartsWith("+OK", await client.ReadLineAsync());
        Assert.StartsWith("+OK", await client.CommandAsync($"USER {User}"));
        Assert.StartsWith("+OK", await client.CommandAsync($"PASS {Password}"));
        return client;
    }

    private static async Task<List<string[]>> ListingAsync(RawPop3Client client, string command)
    {
        Assert.StartsWith("+OK", await client.CommandAsync(command));
        return Encoding.ASCII.GetString(await client.ReadMultiLineAsync())
            .Split("\r\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' '))
            .ToList();
    }

    [Fact]
    public async Task Through_pop3_list_sizes_equal_the_bytes_retr_sends_and_uidls_stay()
    {
        await using var server = await GatewayAsync(Peer.StoreOptions());
        List<string[]> firstUidl;
        await using (var client = await LoginAsync(server))
        {
            var list = await ListingAsync(client, "LIST");
            firstUidl = await ListingAsync(client, "UIDL");
            Assert.Equal(Peer.Corpus.Count, list.Count);
            for (var i = 0; i < list.Count; i++)
            {
                Assert.StartsWith("+OK", await client.CommandAsync($"RETR {i + 1}"));
                var body = await client.ReadMultiLineAsync();
                Assert.True(long.Parse(list[i][1], CultureInfo.InvariantCulture) == body.Length, $"{Peer.Corpus[i].File}: LIST {list[i][1]}, RETR {body.Length}");
            }

            Assert.StartsWith("+OK", await client.CommandAsync("QUIT"));
        }

        await using var again = await LoginAsync(server);
        Assert.Equal(firstUidl, await ListingAsync(again, "UIDL"));
    }

    [Fact]
    public async Task Dele_and_quit_expunge_upstream_and_dele_then_a_dropped_connection_changes_nothing()
    {
        var (folder, uids) = await Peer.NewFolderAsync("Subject: 1\n\none\n", "Subject: 2\n\n.two\n", "Subject: 3\n\nthree\n");
        await using var server = await GatewayAsync(Peer.StoreOptions(folder));
        await using (var dropped = await LoginAsync(server))
        {
            Assert.StartsWith("+OK", await dropped.CommandAsync("DELE 1"));
            Assert.StartsWith("+OK", await dropped.CommandAsync("DELE 2"));
            dropped.Abort();
        }

        await WaitUntilAsync(() => server.ActiveSessions == 0);
        Assert.Equal(uids, (await Peer.StateAsync(folder)).Select(s => s.Uid!.Value));

        await using (var client = await LoginAsync(server))
        {
            Assert.StartsWith("+OK", await client.CommandAsync("RETR 2"));
            Assert.Equal("Subject: 2\r\n\r\n.two\r\n", Encoding.ASCII.GetString(await client.ReadMultiLineAsync()));
            Assert.StartsWith("+OK", await client.CommandAsync("DELE 2"));
            Assert.StartsWith("+OK", await client.CommandAsync("QUIT"));
        }

        Assert.Equal([uids[0], uids[2]], (await Peer.StateAsync(folder)).Select(s => s.Uid!.Value));
    }

    [Fact]
    public async Task An_upstream_that_refuses_the_login_gives_an_error_at_pass_and_one_that_is_down_sys_temp()
    {
        await using (var server = await GatewayAsync(Peer.StoreOptions() with { Password = "wrong" }))
        {
            await using var client = await RawPop3Client.ConnectAsync(server.EndPoints[0].Port);
            await client.ReadLineAsync();
            await client.CommandAsync($"USER {User}");
            Assert.StartsWith("-ERR [AUTH]", await client.CommandAsync($"PASS {Password}"));
        }

        await using (var down = await GatewayAsync(Peer.StoreOptions() with { Port = FreePort.Next() }))
        {
            await using var client = await RawPop3Client.ConnectAsync(down.EndPoints[0].Port);
            await client.ReadLineAsync();
            await client.CommandAsync($"USER {User}");
            Assert.StartsWith("-ERR [SYS/TEMP]", await client.CommandAsync($"PASS {Password}"));
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.True(condition());
    }
}
