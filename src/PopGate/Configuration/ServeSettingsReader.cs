using System.Net;
using Microsoft.Extensions.Configuration;
using PopGate.Server;
using PopGate.Stores;

namespace PopGate.Configuration;

/// <summary>Reads <see cref="ServeSettings"/> from configuration (JSON file, environment, flags), checking every key.</summary>
public static class ServeSettingsReader
{
    private static readonly string[] TopLevel = ["Listen", "TlsListen", "Tls", "HostName", "UsersFile", "Store", "Users", "Auth", "Limits", "Logging", "PassThrough"];

    public static ServeSettings Read(IConfiguration configuration, JsonLineIndex? lines, StoreFactory stores)
    {
        var root = new ConfigSection(configuration, lines);
        root.CheckKnown(TopLevel);

        var tls = root.Section("Tls");
        tls.CheckKnown("Certificate", "Key");
        var auth = root.Section("Auth");
        auth.CheckKnown("Plaintext", "FailureDelaySeconds", "MaxFailureDelaySeconds", "MaxFailures", "LoginDelaySeconds");
        var limits = root.Section("Limits");
        limits.CheckKnown("MaxConnections", "MaxConnectionsPerAddress", "IdleTimeoutSeconds", "MaxErrors", "MaxCommandLine", "TlsHandshakeSeconds", "CommitTimeoutSeconds");

        var defaults = new Pop3ServerOptions();
        var server = defaults with
        {
            HostName = root.GetString("HostName") ?? defaults.HostName,
            PlaintextAuth = auth.GetEnum("Plaintext", defaults.PlaintextAuth),
            AuthFailureDelay = TimeSpan.FromSeconds(auth.GetDouble("FailureDelaySeconds", defaults.AuthFailureDelay.TotalSeconds, 0, 600)),
            MaxAuthFailureDelay = TimeSpan.FromSeconds(auth.GetDouble("MaxFailureDelaySeconds", defaults.MaxAuthFailureDelay.TotalSeconds, 0, 3600)),
            MaxAuthFailures = auth.GetInt("MaxFailures", defaults.MaxAuthFailures, 1, 100),
            LoginDelay = TimeSpan.FromSeconds(auth.GetInt("LoginDelaySeconds", 0, 0, 86400 * 7)),
            MaxConnections = limits.GetInt("MaxConnections", defaults.MaxConnections, 1, 1_000_000),
            MaxConnectionsPerAddress = limits.GetInt("MaxConnectionsPerAddress", defaults.MaxConnectionsPerAddress, 1, 1_000_000),
            IdleTimeout = TimeSpan.FromSeconds(limits.GetInt("IdleTimeoutSeconds", (int)defaults.IdleTimeout.TotalSeconds, 1, 86400)),
            MaxErrors = limits.GetInt("MaxErrors", defaults.MaxErrors, 1, 10_000),
            MaxCommandLine = limits.GetInt("MaxCommandLine", defaults.MaxCommandLine, 64, 8192),
            TlsHandshakeTimeout = TimeSpan.FromSeconds(limits.GetInt("TlsHandshakeSeconds", (int)defaults.TlsHandshakeTimeout.TotalSeconds, 1, 600)),
            CommitTimeout = TimeSpan.FromSeconds(limits.GetInt("CommitTimeoutSeconds", (int)defaults.CommitTimeout.TotalSeconds, 1, 86400)),
        };

        var userStores = new Dictionary<string, IMailStore>(StringComparer.Ordinal);
        foreach (var user in root.Section("Users").Children())
        {
            user.CheckKnown("Store");
            if (user.Section("Store").Exists)
            {
                userStores[user.Name] = stores.Create(user.Section("Store"));
            }
        }

        var passThrough = root.Section("PassThrough");
        passThrough.CheckKnown("Domains", "Default");
        var domains = new Dictionary<string, IMailStore>(StringComparer.OrdinalIgnoreCase);
        foreach (var domain in passThrough.Section("Domains").Children())
        {
            domains[domain.Name] = stores.Create(domain);
        }

        var settings = new ServeSettings
        {
            PassThroughDomains = domains,
            PassThroughDefault = passThrough.Section("Default").Exists ? stores.Create(passThrough.Section("Default")) : null,
            Listen = EndPoints(root, "Listen"),
            TlsListen = EndPoints(root, "TlsListen"),
            CertificatePath = tls.GetPath("Certificate"),
            KeyPath = tls.GetPath("Key"),
            UsersFile = root.GetPath("UsersFile"),
            DefaultStore = root.Section("Store").Exists ? stores.Create(root.Section("Store")) : null,
            UserStores = userStores,
            Server = server,
        };

        if ((settings.CertificatePath is null) != (settings.KeyPath is null))
        {
            throw tls.Error(settings.CertificatePath is null ? "Certificate" : "Key", "Tls needs both Certificate and Key");
        }

        if (settings.TlsListen.Count > 0 && settings.CertificatePath is null)
        {
            throw root.Error("TlsListen", "implicit-TLS listeners need Tls:Certificate and Tls:Key");
        }

        return settings;
    }

    private static List<IPEndPoint> EndPoints(ConfigSection root, string name)
    {
        var list = new List<IPEndPoint>();
        var values = root.GetList(name);
        for (var i = 0; i < values.Count; i++)
        {
            if (!EndPointParser.TryParse(values[i], out var endPoint))
            {
                throw root.Error(values.Count == 1 && root.GetString(name) is not null ? name : $"{name}:{i}", $"'{values[i]}' is not ADDRESS:PORT");
            }

            list.Add(endPoint);
        }

        return list;
    }
}
