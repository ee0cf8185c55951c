using PopGate.Configuration;

namespace PopGate.Stores.Jmap;

/// <summary>
/// Reads a JMAP store from configuration: { "Type": "jmap", "Url": "https://host", "Auth": "basic", "User": "...",
/// "Password": "..." } and the options of <see cref="JmapStoreOptions"/>. Register it with
/// <c>factory.Register("jmap", JmapStoreSection.Read)</c>.
/// </summary>
public static class JmapStoreSection
{
    private static readonly string[] Keys =
    [
        "Type", "Url", "Auth", "User", "Password", "Token", "TokenCommand", "Mailbox", "MoveToTrash", "SizeMode",
        "InsecureSkipCertificateCheck", "ConnectTimeoutSeconds", "RequestTimeoutSeconds", "DownloadIdleTimeoutSeconds", "ReadAheadKiB",
        "StateDirectory", "CompressDownloads",
    ];

    public static IMailStore Read(ConfigSection section, StoreFactory factory)
    {
        _ = factory;
        section.CheckKnown(Keys);
        var url = section.GetRequiredString("Url");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw section.Error("Url", $"'{url}' is not an http or https URL");
        }

        var defaults = new JmapStoreOptions { Url = uri, Auth = JmapAuth.PassThroughBasic };
        return new JmapStore(defaults with
        {
            Auth = ReadAuth(section),
            Mailbox = section.GetString("Mailbox"),
            MoveToTrash = section.GetBool("MoveToTrash", false),
            SizeMode = section.GetEnum("SizeMode", JmapSizeMode.Trust),
            InsecureSkipCertificateCheck = section.GetBool("InsecureSkipCertificateCheck", false),
            ConnectTimeout = Seconds(section, "ConnectTimeoutSeconds", defaults.ConnectTimeout),
            RequestTimeout = Seconds(section, "RequestTimeoutSeconds", defaults.RequestTimeout),
            DownloadIdleTimeout = Seconds(section, "DownloadIdleTimeoutSeconds", defaults.DownloadIdleTimeout),
            StateDirectory = section.GetString("StateDirectory"),
            CompressDownloads = section.GetBool("CompressDownloads", false),
            ReadAheadBytes = section.GetInt("ReadAheadKiB", (int)(defaults.ReadAheadBytes / 1024), 0, 1024 * 1024) * 1024L,
        });
    }

    private static JmapAuth ReadAuth(ConfigSection section)
    {
        var user = section.GetString("User");
        var password = section.GetString("Password");
        var token = section.GetString("Token");
        var command = section.GetString("TokenCommand");
        var kind = section.GetString("Auth")?.ToLowerInvariant()
            ?? (token is not null || command is not null ? "bearer" : user is not null ? "basic" : "pass-through");
        switch (kind)
        {
            case "basic":
                return JmapAuth.Basic(
                    user ?? throw section.Error("User", "is required for basic auth"),
                    password ?? throw section.Error("Password", "is required for basic auth"));
            case "bearer" when token is not null && command is not null:
                throw section.Error("TokenCommand", "give Token or TokenCommand, not both");
            case "bearer" when token is not null:
                return JmapAuth.Bearer(token);
            case "bearer" when command is not null:
                return JmapAuth.BearerFrom((_, ct) => TokenCommand.RunAsync(command, ct), user);
            case "bearer":
                throw section.Error("Token", "is required for bearer auth (or TokenCommand)");
            case "pass-through":
                return JmapAuth.PassThroughBasic;
            case "pass-through-bearer":
                return JmapAuth.PassThroughBearer;
            default:
                throw section.Error("Auth", $"'{kind}' is not one of: basic, bearer, pass-through, pass-through-bearer");
        }
    }

    private static TimeSpan Seconds(ConfigSection section, string name, TimeSpan fallback) =>
        TimeSpan.FromSeconds(section.GetDouble(name, fallback.TotalSeconds, 0.1, 3600));
}
