using PopGate.Imap;
using PopGate.Stores;
using PopGate.Stores.Imap;

namespace PopGate.Configuration;

/// <summary>
/// Reads { "Type": "imap", "Host": ..., "Folders": [...], ... } into an <see cref="ImapStore"/>. Without "User" the
/// POP3 user's own name and password are passed through to the server.
/// </summary>
public static class ImapStoreConfig
{
    private static readonly string[] Keys =
    [
        "Type", "Host", "Port", "Security", "Insecure", "Fingerprint", "SniHost", "Folders", "ReadOnly", "User", "Password",
        "PasswordEnv", "PasswordCommand", "TokenCommand",
        "Mechanism", "ExpungeWithoutUidPlus", "ShowDeleted", "CheckFinalNewline", "ConnectTimeoutSeconds", "TimeoutSeconds",
        "PipelineWindow", "ReadAheadKiB", "StateDirectory",
    ];

    /// <summary>Registers the "imap" store type.</summary>
    public static StoreFactory AddImap(this StoreFactory factory) => factory.Register("imap", static (section, _) => Read(section));

    public static IMailStore Read(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return new ImapStore(ReadOptions(section));
    }

    public static ImapStoreOptions ReadOptions(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        section.CheckKnown(Keys);
        var folders = section.GetList("Folders");
        var secret = UpstreamSecret.Read(section);
        var user = secret.User;
        // A password from the environment or a command is read once, at start; a token command runs at each login.
        var password = secret.IsPassThrough || secret.IsToken ? null : secret.ResolveAtStart(section);

        var fingerprint = section.GetString("Fingerprint");
        if (fingerprint is not null && Client.CertificateFingerprint.Normalize(fingerprint) is null)
        {
            throw section.Error("Fingerprint", "must be the certificate's SHA-256: 64 hex digits, colons allowed");
        }

        if (folders.Distinct(StringComparer.Ordinal).Count() != folders.Count)
        {
            throw section.Error("Folders", "lists a folder twice");
        }

        return new ImapStoreOptions
        {
            Host = section.GetRequiredString("Host"),
            Port = section.GetInt("Port", 0, 0, 65535),
            Security = section.GetEnum("Security", ImapSecurity.Ssl),
            Insecure = section.GetBool("Insecure", false),
            Fingerprint = fingerprint,
            SniHost = section.GetString("SniHost"),
            Folders = folders.Count == 0 ? ["INBOX"] : folders,
            ReadOnly = section.GetBool("ReadOnly", false),
            User = user,
            Password = password,
            TokenProvider = secret.IsToken ? ct => secret.ResolveAsync(new MaildropRequest(user!), ct) : null,
            Mechanism = section.GetEnum("Mechanism", ImapAuthMechanism.Auto),
            ExpungeWithoutUidPlus = section.GetEnum("ExpungeWithoutUidPlus", ExpungeWithoutUidPlus.Never),
            ShowDeleted = section.GetBool("ShowDeleted", false),
            CheckFinalNewline = section.GetBool("CheckFinalNewline", true),
            StateDirectory = section.GetString("StateDirectory"),
            ConnectTimeout = TimeSpan.FromSeconds(section.GetDouble("ConnectTimeoutSeconds", 30, 0.1, 3600)),
            Timeout = TimeSpan.FromSeconds(section.GetDouble("TimeoutSeconds", 60, 0.1, 3600)),
            PipelineWindow = section.GetInt("PipelineWindow", 64, 1, 1000),
            ReadAheadBytes = section.GetInt("ReadAheadKiB", 4096, 0, 1024 * 1024) * 1024L,
        };
    }
}
