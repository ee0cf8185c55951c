using System.Net;
using PopGate.Jmap.Server;
using PopGate.Stores.Maildir;
using PopGate.Testing;

namespace PopGate.Tests.Jmap;

/// <summary>
/// An in-process JMAP server on 127.0.0.1 port 0 over Maildirs (one per user under a temp folder). Every user's
/// password is "pw-" + the user name. Tests take a user of their own, so they can run in parallel.
/// </summary>
public class JmapServeFixture : IAsyncLifetime
{
    private readonly TempDir _dir = new("jmap-serve");
    private int _users;

    public JmapServer Server { get; private set; } = null!;
    public string Root => _dir.Path;

    protected virtual JmapServerOptions Configure(JmapServerOptions options) => options;

    public static string PasswordOf(string user) => "pw-" + user;

    public async Task InitializeAsync()
    {
        var options = Configure(new JmapServerOptions
        {
            Store = new MaildirStore(Path.Combine(_dir.Path, "%u")),
            Authenticate = (user, password) => password == PasswordOf(user),
        });
        Server = await JmapServer.StartAsync(options, new IPEndPoint(IPAddress.Loopback, 0), null, CancellationToken.None);
    }

    /// <summary>A new user whose Maildir holds the given messages (file names sort in the given order).</summary>
    public string NewUser(IEnumerable<byte[]> messages)
    {
        var user = "user" + Interlocked.Increment(ref _users);
        var maildir = Path.Combine(_dir.Path, user);
        foreach (var sub in new[] { "cur", "new", "tmp" })
        {
            Directory.CreateDirectory(Path.Combine(maildir, sub));
        }

        AddMessages(user, messages);
        return user;
    }

    private int _files;

    public IReadOnlyList<string> AddMessages(string user, IEnumerable<byte[]> messages)
    {
        var names = new List<string>();
        foreach (var message in messages)
        {
            var name = $"{1700000000 + Interlocked.Increment(ref _files):D10}.M{_files}.test";
            File.WriteAllBytes(Path.Combine(_dir.Path, user, "new", name), message);
            names.Add(name);
        }

        return names;
    }

    public string[] FilesOf(string user) =>
        Directory.EnumerateFiles(Path.Combine(_dir.Path, user, "new")).Concat(Directory.EnumerateFiles(Path.Combine(_dir.Path, user, "cur")))
            .Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToArray()!;

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _dir.Dispose();
    }
}
