using System.Net.Sockets;
using System.Text;
using PopGate.Testing;

namespace PopGate.Interop.Peers;

/// <summary>The private Dovecot the other tests compare against really serves the mail put into it.</summary>
public sealed class DovecotLauncherTests
{
    [Fact]
    public async Task Serves_the_messages_put_into_its_maildir()
    {
        await using var dovecot = await DovecotServer.StartAsync();
        await dovecot.AddMessagesAsync([Encoding.ASCII.GetBytes("Subject: one\n\nbody\n"), Encoding.ASCII.GetBytes("Subject: two\n\n.dot\n")]);

        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", dovecot.Pop3Port);
        var stream = client.GetStream();
        var reader = new StreamReader(stream, Encoding.Latin1);
        Assert.StartsWith("+OK", await reader.ReadLineAsync());
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"USER {dovecot.Options.User}\r\nPASS {dovecot.Options.Password}\r\nSTAT\r\nQUIT\r\n"));
        Assert.StartsWith("+OK", await reader.ReadLineAsync());
        Assert.StartsWith("+OK", await reader.ReadLineAsync());
        var stat = await reader.ReadLineAsync();
        Assert.StartsWith("+OK 2 ", stat);
    }

    [Fact]
    public async Task Serves_further_accounts_from_given_homes_with_their_own_password_schemes()
    {
        var crypt = await ProcessRunner.RunAsync(PeerProgram.Require("openssl"), ["passwd", "-6", "-salt", "launchertest", "-stdin"], TimeSpan.FromSeconds(30), stdin: "s3cret\n");
        using var homes = new TempDir("dovecot-homes");
        var shared = Path.Combine(homes.Path, "shared");
        foreach (var sub in new[] { "cur", "new", "tmp" })
        {
            Directory.CreateDirectory(Path.Combine(shared, "Maildir", sub));
        }

        await File.WriteAllTextAsync(Path.Combine(shared, "Maildir", "new", "1.M1.test"), "Subject: shared\n\nbody\n");
        await ProcessRunner.ChownAsync(homes.Path, "nobody");
        await using var dovecot = await DovecotServer.StartAsync(new DovecotOptions
        {
            Accounts = [new DovecotAccount("alice", "{SHA512-CRYPT}" + crypt.StdOut.Trim(), shared), new DovecotAccount("bob", "{PLAIN}pw", shared), new DovecotAccount("carol", "{PLAIN}pw")],
            ProcessLimit = 50,
        });

        Assert.Equal("+OK 1", await StatAsync(dovecot.Pop3Port, "alice", "s3cret"));
        Assert.Equal("+OK 1", await StatAsync(dovecot.Pop3Port, "bob", "pw"));
        Assert.Equal("+OK 0", await StatAsync(dovecot.Pop3Port, "carol", "pw"));
        Assert.Equal(Path.Combine(dovecot.BaseDir, "home", "carol"), dovecot.HomeOf("carol"));
        Assert.StartsWith("-ERR", await StatAsync(dovecot.Pop3Port, "alice", "wrong"));
        Assert.True(dovecot.MasterPid > 0);
        Assert.Contains("default_process_limit = 50", await File.ReadAllTextAsync(dovecot.ConfigPath));
    }

    /// <summary>Logs in and returns the STAT reply up to the message count, or the first -ERR.</summary>
    private static async Task<string> StatAsync(int port, string user, string password)
    {
        await using var client = await RawPop3Client.ConnectAsync(port);
        await client.ReadLineAsync();
        foreach (var command in new[] { $"USER {user}", $"PASS {password}" })
        {
            var reply = await client.CommandAsync(command);
            if (!reply.StartsWith("+OK", StringComparison.Ordinal))
            {
                return reply;
            }
        }

        var stat = await client.CommandAsync("STAT");
        await client.CommandAsync("QUIT");
        return string.Join(' ', stat.Split(' ').Take(2));
    }
}
