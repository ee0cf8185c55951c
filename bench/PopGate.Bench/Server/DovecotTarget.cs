using System.Net;
using PopGate.Testing;

namespace PopGate.Bench.Server;

/// <summary>Dovecot's POP3 server, with its defaults or tuned, serving the benchmark accounts from homes in a folder.</summary>
public sealed class DovecotTarget : IBenchTarget
{
    /// <summary>
    /// Beyond reused processes (service_count = 0, process_min_avail, a login process serving many clients), the
    /// tuned set-up has Dovecot's authentication cache, the nearest thing to PopGate's cache of verified passwords
    /// (it keeps the passdb lookup; the password is still hashed at every login).
    /// </summary>
    public const string TunedExtraConfig = "auth_cache_size = 10M\nauth_cache_ttl = 1 hour\nauth_cache_negative_ttl = 0";

    private readonly DovecotServer _server;

    private DovecotTarget(string name, DovecotServer server)
    {
        Name = name;
        _server = server;
        EndPoint = new IPEndPoint(IPAddress.Loopback, server.Pop3Port);
        RootPid = server.MasterPid;
    }

    public string Name { get; }

    public IPEndPoint EndPoint { get; }

    public int RootPid { get; }

    /// <summary>The home that holds a maildrop's Maildir (Dovecot's mail_location is ~/Maildir).</summary>
    public static string Home(string folder, string maildrop) => Path.Combine(folder, "homes", maildrop);

    /// <param name="folder">Holds homes/MAILDROP/Maildir for every maildrop, owned by the mail user.</param>
    public static async Task<DovecotTarget> StartAsync(bool tuned, string folder, IReadOnlyList<BenchAccount> accounts, int processLimit)
    {
        var options = new DovecotOptions
        {
            Performance = tuned,
            ExtraConfig = tuned ? TunedExtraConfig : string.Empty,
            ProcessLimit = processLimit,
            Accounts = accounts.Select(a => new DovecotAccount(a.Name, a.StoredPassword, Home(folder, a.Maildrop))).ToList(),
        };
        var server = await DovecotServer.StartAsync(options).ConfigureAwait(false);
        return new DovecotTarget(tuned ? "dovecot-tuned" : "dovecot-default", server);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
