using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using PopGate.Server;
using PopGate.Stores.Maildir;
using PopGate.Testing;

namespace PopGate.Tests.Server;

/// <summary>An in-process server on a loopback port over a fresh Maildir, for one test.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    public const string User = "alice";
    public const string Password = "secret pass";
    public const string Utf8User = "jürgen";
    public const string Utf8Password = "pässwörd";

    private readonly TempDir _dir = new("popgate-server");

    private TestServer()
    {
        Maildir = _dir.Sub("Maildir");
        foreach (var sub in new[] { "new", "cur", "tmp" })
        {
            Directory.CreateDirectory(Path.Combine(Maildir, sub));
        }
    }

    public string Maildir { get; }

    public Pop3Server Server { get; private set; } = null!;

    public int Port => Server.EndPoints[0].Port;

    public static async Task<TestServer> StartAsync(IEnumerable<string>? messages = null, Func<Pop3ServerOptions, Pop3ServerOptions>? configure = null, X509Certificate2? certificate = null)
    {
        var server = new TestServer();
        var i = 0;
        foreach (var message in messages ?? [])
        {
            server.AddMessage($"17000000{i:D2}.M{i}P1.test", Encoding.UTF8.GetBytes(message));
            i++;
        }

        var options = new Pop3ServerOptions
        {
            Listeners = [new ListenerOptions(new IPEndPoint(IPAddress.Loopback, 0))],
            Certificate = certificate,
            HostName = "test.example",
            AuthFailureDelay = TimeSpan.FromMilliseconds(10),
            MaxAuthFailureDelay = TimeSpan.FromMilliseconds(50),
        };
        options = configure?.Invoke(options) ?? options;
        var accounts = new AccountList()
            .Add(User, Password, new MaildirStore(server.Maildir))
            .Add(Utf8User, Utf8Password, new MaildirStore(Path.Combine(server._dir.Path, "Maildir-utf8")));
        server.Server = new Pop3Server(options, accounts);
        await server.Server.StartAsync();
        return server;
    }

    public void AddMessage(string name, byte[] content)
    {
        var temp = Path.Combine(Maildir, "tmp", name);
        File.WriteAllBytes(temp, content);
        File.Move(temp, Path.Combine(Maildir, "new", name));
    }

    public int MessageFileCount() =>
        Directory.GetFiles(Path.Combine(Maildir, "new")).Length + Directory.GetFiles(Path.Combine(Maildir, "cur")).Length;

    public async Task<RawPop3Client> ConnectAsync()
    {
        var client = await RawPop3Client.ConnectAsync(Port);
        Assert.StartsWith("+OK", await client.ReadLineAsync());
        return client;
    }

    public async Task<RawPop3Client> LoginAsync()
    {
        var client = await ConnectAsync();
        Assert.StartsWith("+OK", await client.CommandAsync($"USER {User}"));
        Assert.StartsWith("+OK", await client.CommandAsync($"PASS {Password}"));
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _dir.Dispose();
    }
}
