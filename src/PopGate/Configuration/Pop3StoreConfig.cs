using PopGate.Client;
using PopGate.Stores;
using PopGate.Stores.Pop3;

namespace PopGate.Configuration;

/// <summary>Reads { "Type": "pop3", "Host": ..., ... } into a <see cref="Pop3UpstreamStore"/>.</summary>
public static class Pop3StoreConfig
{
    private static readonly string[] Keys =
    [
        "Type", "Host", "Port", "Security", "Insecure", "Fingerprint", "SniHost", "Mechanism",
        "TimeoutSeconds", "ConnectTimeoutSeconds", .. UpstreamSecret.Keys,
    ];

    /// <summary>Security names as written in the configuration.</summary>
    private enum Pop3Security
    {
        Ssl,
        StartTls,
        None,
    }

    public static StoreFactory AddPop3(this StoreFactory factory) => factory.Register("pop3", static (section, _) => Read(section));

    public static IMailStore Read(ConfigSection section)
    {
        section.CheckKnown(Keys);
        var security = section.GetEnum("Security", Pop3Security.Ssl) switch
        {
            Pop3Security.Ssl => ConnectionSecurity.Tls,
            Pop3Security.StartTls => ConnectionSecurity.StartTls,
            _ => ConnectionSecurity.None,
        };
        var port = section.GetInt("Port", security == ConnectionSecurity.Tls ? ConnectionSpec.TlsPort : ConnectionSpec.PlainPort, 1, 65535);
        var secret = UpstreamSecret.Read(section);
        var mechanism = section.GetString("Mechanism")?.ToUpperInvariant();
        if (secret.IsToken && mechanism is not ("XOAUTH2" or "OAUTHBEARER"))
        {
            mechanism = "XOAUTH2";
        }

        var client = Pop3ClientOptions.Default with
        {
            ConnectTimeout = TimeSpan.FromSeconds(section.GetDouble("ConnectTimeoutSeconds", 30, 0.1, 3600)),
            CommandTimeout = TimeSpan.FromSeconds(section.GetDouble("TimeoutSeconds", 60, 0.1, 3600)),
            IdleTimeout = TimeSpan.FromSeconds(section.GetDouble("TimeoutSeconds", 60, 0.1, 3600)),
            Tls = new TlsSettings { Insecure = section.GetBool("Insecure", false), PinnedSha256 = section.GetString("Fingerprint") },
            // "Security": "none" is the administrator's explicit choice of a network without TLS.
            AllowCleartextPasswords = security == ConnectionSecurity.None,
        };
        return new Pop3UpstreamStore(new Pop3UpstreamOptions
        {
            Server = new ConnectionSpec(section.GetRequiredString("Host"), port, security, sniHost: section.GetString("SniHost")),
            Client = client,
            User = secret.User,
            Secret = secret.IsPassThrough ? null : secret.ResolveAsync,
            Mechanism = mechanism,
        });
    }
}
