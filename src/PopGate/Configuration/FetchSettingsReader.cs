using Microsoft.Extensions.Configuration;

namespace PopGate.Configuration;

/// <summary>
/// Reads the accounts of a `popgate fetch --config` file: { "Accounts": { "NAME": { "Server": ..., "Maildir": ... } } }.
/// Every key is checked; errors name the key and its line.
/// </summary>
public static class FetchSettingsReader
{
    private static readonly string[] AccountKeys =
    [
        "Server", "Maildir", "Mbox", "Mda", "State", "Keep", "MaxSize", "Limit", "Crlf", "PasswordEnv", "PasswordCommand",
        "NetrcFile", "Insecure", "Fingerprint", "Auth", "TimeoutSeconds", "EarlyCapa",
    ];

    public static IReadOnlyList<FetchAccountSettings> ReadFile(string file)
    {
        var lines = JsonLineIndex.Load(file);
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(file), optional: false, reloadOnChange: false).Build();
        return Read(configuration, lines);
    }

    public static IReadOnlyList<FetchAccountSettings> Read(IConfiguration configuration, JsonLineIndex? lines)
    {
        var root = new ConfigSection(configuration, lines);
        root.CheckKnown("Accounts");
        var accounts = new List<FetchAccountSettings>();
        foreach (var account in root.Section("Accounts").Children())
        {
            account.CheckKnown(AccountKeys);
            var maxSize = account.GetString("MaxSize") is null ? (long?)null : ReadLong(account, "MaxSize");
            var limit = account.GetString("Limit") is null ? (int?)null : account.GetInt("Limit", 0, 1);
            var settings = new FetchAccountSettings
            {
                Name = account.Name,
                Server = account.GetRequiredString("Server"),
                Maildir = PathOf(account, "Maildir"),
                Mbox = PathOf(account, "Mbox"),
                Mda = account.GetString("Mda"),
                State = PathOf(account, "State"),
                Keep = account.GetBool("Keep", false),
                MaxSize = maxSize,
                Limit = limit,
                Crlf = account.GetBool("Crlf", false),
                PasswordEnv = account.GetString("PasswordEnv"),
                PasswordCommand = account.GetString("PasswordCommand"),
                NetrcFile = PathOf(account, "NetrcFile"),
                Insecure = account.GetBool("Insecure", false),
                Fingerprint = account.GetString("Fingerprint"),
                Auth = account.GetString("Auth"),
                TimeoutSeconds = account.GetDouble("TimeoutSeconds", 60, 0.001, 86_400),
                EarlyCapa = account.GetBool("EarlyCapa", true),
            };
            if (settings.Problem() is { } problem)
            {
                throw account.Error(problem.Setting, problem.Problem);
            }

            accounts.Add(settings);
        }

        if (accounts.Count == 0)
        {
            throw root.Error("Accounts", "names no account");
        }

        return accounts;
    }

    private static long ReadLong(ConfigSection section, string name) =>
        long.TryParse(section.GetString(name), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw section.Error(name, "must be a whole number of octets, at least 1");

    /// <summary>A path relative to the file's folder; a leading "~/" means the home folder, as in a shell.</summary>
    private static string? PathOf(ConfigSection section, string name) =>
        section.GetString(name) is { } value && value.StartsWith("~/", StringComparison.Ordinal) ? Home(value) : section.GetPath(name);

    /// <summary>A leading "~/" means the home folder, as in a shell.</summary>
    public static string? Home(string? path)
    {
        if (path is null || !path.StartsWith("~/", StringComparison.Ordinal))
        {
            return path;
        }

        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..]);
    }
}
