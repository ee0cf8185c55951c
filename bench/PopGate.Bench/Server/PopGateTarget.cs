using System.Net;
using PopGate.Testing;

namespace PopGate.Bench.Server;

/// <summary>`popgate serve` (the build next to the benchmark) as its own process, with the benchmark accounts.</summary>
public sealed class PopGateTarget : IBenchTarget
{
    private readonly PopGateServer _server;
    private readonly TempDir _config;

    private PopGateTarget(PopGateServer server, TempDir config)
    {
        _server = server;
        _config = config;
        EndPoint = new IPEndPoint(IPAddress.Loopback, server.Port);
    }

    public string Name => "popgate";

    public IPEndPoint EndPoint { get; }

    public int RootPid => _server.ProcessId;

    /// <summary>Where a maildrop's Maildir is (the same layout as for Dovecot).</summary>
    public static string Maildir(string folder, string maildrop) => Path.Combine(folder, "homes", maildrop, "Maildir");

    /// <param name="folder">Holds homes/MAILDROP/Maildir for every maildrop.</param>
    /// <param name="maxConnections">Connection limits high enough for the idle sessions, all from 127.0.0.1.</param>
    public static async Task<PopGateTarget> StartAsync(string folder, IReadOnlyList<BenchAccount> accounts, int maxConnections)
    {
        var config = new TempDir("popgate-bench-config");
        try
        {
            var path = Path.Combine(config.Path, "popgate.json");
            await File.WriteAllTextAsync(path, $$"""
                { "Limits": { "MaxConnections": {{maxConnections}}, "MaxConnectionsPerAddress": {{maxConnections}} } }
                """).ConfigureAwait(false);
            var server = await PopGateServer.StartAsync("--config", path).ConfigureAwait(false);
            await server.AddMaildirAccountsAsync(accounts.Select(a => (a.Name, a.StoredPassword, Maildir(folder, a.Maildrop)))).ConfigureAwait(false);
            return new PopGateTarget(server, config);
        }
        catch
        {
            config.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync().ConfigureAwait(false);
        _config.Dispose();
    }
}
