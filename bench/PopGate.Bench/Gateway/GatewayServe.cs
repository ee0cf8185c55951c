using System.Net;
using PopGate.Testing;

namespace PopGate.Bench.Gateway;

/// <summary>`popgate serve` (the build next to the benchmark, or a native one) in front of upstream stores, one POP3 user per store.</summary>
public static class GatewayServe
{
    public const string Password = "pop-pass";

    /// <summary>Starts a fresh process: its first login is the first login after a server start.</summary>
    /// <param name="program">A native `popgate`, or null for the build next to the benchmark.</param>
    public static Task<GatewayProcess> StartAsync(IReadOnlyDictionary<string, object> stores, string? program = null) =>
        GatewayProcess.StartAsync((folder, port) =>
        {
            var users = GatewayProcess.WriteUsers(folder, stores.Keys.Select(u => (u, Password)).ToArray());
            return new Dictionary<string, object>
            {
                ["Listen"] = new[] { $"127.0.0.1:{port}" },
                ["UsersFile"] = users,
                ["Users"] = stores.ToDictionary(s => s.Key, s => (object)new { Store = s.Value }),
            };
        }, program);

    public static IPEndPoint EndPoint(GatewayProcess gateway) => new(IPAddress.Loopback, gateway.Port);

    /// <summary>An IMAP store on loopback without TLS, with fixed credentials.</summary>
    public static Dictionary<string, object> Imap(int port, string user, string password, int? readAheadKiB)
    {
        var store = new Dictionary<string, object>
        {
            ["Type"] = "imap",
            ["Host"] = "127.0.0.1",
            ["Port"] = port,
            ["Security"] = "none",
            ["User"] = user,
            ["Password"] = password,
            ["ReadOnly"] = true,
        };
        if (readAheadKiB is { } kib)
        {
            store["ReadAheadKiB"] = kib;
        }

        return store;
    }

    /// <summary>A JMAP store with Basic auth.</summary>
    public static Dictionary<string, object> Jmap(int httpPort, string user, string password) => new Dictionary<string, object>
    {
        ["Type"] = "jmap",
        ["Url"] = $"http://127.0.0.1:{httpPort}/",
        ["Auth"] = "basic",
        ["User"] = user,
        ["Password"] = password,
    };
}
