using Microsoft.Extensions.Logging;
using PopGate.Auth;
using PopGate.Protocol;
using PopGate.Server;
using PopGate.Stores;

namespace PopGate.Configuration;

/// <summary>
/// The accounts of a users file. A user's store is, in order: the configuration's Users:NAME:Store, the users
/// file's `mail=` (or `userdb_mail=`) field in Dovecot's "maildir:~/Maildir" form, then the configuration's Store.
/// Edits to the users file take effect at the next login.
/// </summary>
public sealed class UsersFileAccounts : IAccountDirectory
{
    private readonly UserDatabase _users;
    private readonly ServeSettings _settings;
    private readonly ILogger _logger;

    private UsersFileAccounts(UserDatabase users, ServeSettings settings, ILogger logger)
    {
        _users = users;
        _settings = settings;
        _logger = logger;
    }

    /// <summary>
    /// The accounts the settings describe: the users file (its warnings logged), then pass-through upstreams for
    /// users it does not list.
    /// </summary>
    public static IAccountDirectory Create(ServeSettings settings, ILogger logger)
    {
        var passThrough = new PassThroughAccounts(settings.PassThroughDomains, settings.PassThroughDefault);
        if (settings.UsersFile is null)
        {
            return passThrough.IsEmpty ? throw new ConfigException("UsersFile", "is required (or give --users FILE), unless PassThrough is configured") : passThrough;
        }

        var users = UserDatabase.Load(settings.UsersFile);
        foreach (var warning in users.Warnings)
        {
            logger.LogWarning("{Warning}", warning);
        }

        var fromFile = new UsersFileAccounts(users, settings, logger);
        return passThrough.IsEmpty ? fromFile : new ChainedAccounts([fromFile, passThrough]);
    }

    public ValueTask<Account?> FindAsync(string user, CancellationToken cancellationToken)
    {
        if (_users.ReloadIfChanged() == UsersFileReload.Failed)
        {
            _logger.LogError("The changed users file is unusable, the previous one stays in use: {Error}", _users.LastReloadError?.Message);
        }

        if (!_users.TryGet(user, out var entry))
        {
            return ValueTask.FromResult<Account?>(null);
        }

        var store = StoreOf(entry);
        var allowApop = !(entry.Extra.TryGetValue("apop", out var apop) && apop.Equals("no", StringComparison.OrdinalIgnoreCase));
        return ValueTask.FromResult<Account?>(new Account(entry.User, store, new Credentials(_users, entry), allowApop));
    }

    private IMailStore StoreOf(PasswdEntry entry)
    {
        if (_settings.UserStores.TryGetValue(entry.User, out var own))
        {
            return own;
        }

        var location = entry.Extra.GetValueOrDefault("mail") ?? entry.Extra.GetValueOrDefault("userdb_mail");
        if (location is not null && StoreFactory.FromMailLocation(location, entry.Home) is { } fromFile)
        {
            return fromFile;
        }

        return _settings.DefaultStore ?? new MissingStore();
    }

    /// <summary>A user without any store configured: refused at login, not at start-up.</summary>
    private sealed class MissingStore : IMailStore
    {
        public ValueTask<IMaildrop> OpenAsync(MaildropRequest request, CancellationToken cancellationToken) =>
            throw new MaildropException(ResponseCodes.SysPerm, "no mail store is configured for this user");
    }

    private sealed class Credentials(UserDatabase users, PasswdEntry entry) : ICredentialCheck
    {
        public bool Verify(string password) => users.VerifyPassword(entry, password);

        public string? ClearPassword => users.GetClearPassword(entry);

        public ScramCredentials? ScramSha256 => users.GetScramSha256(entry);
    }
}
