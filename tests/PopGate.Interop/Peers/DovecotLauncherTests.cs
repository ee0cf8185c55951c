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
}
