using PopGate.Server;
using PopGate.Stores;

namespace PopGate.Configuration;

/// <summary>
/// Accounts that exist upstream only: the POP3 user name and password are used to log in to the store chosen by the
/// user name's domain (or the default store), and the upstream's verdict is the login's verdict.
/// </summary>
public sealed class PassThroughAccounts : IAccountDirectory
{
    private readonly IReadOnlyDictionary<string, IMailStore> _byDomain;
    private readonly IMailStore? _default;

    public PassThroughAccounts(IReadOnlyDictionary<string, IMailStore> byDomain, IMailStore? fallback)
    {
        _byDomain = new Dictionary<string, IMailStore>(byDomain, StringComparer.OrdinalIgnoreCase);
        _default = fallback;
    }

    public bool IsEmpty => _byDomain.Count == 0 && _default is null;

    public ValueTask<Account?> FindAsync(string user, CancellationToken cancellationToken)
    {
        var at = user.LastIndexOf('@');
        var store = at > 0 && _byDomain.TryGetValue(user[(at + 1)..], out var forDomain) ? forDomain : _default;
        return ValueTask.FromResult(store is null ? null : new Account(user, store, Credentials: null, AllowApop: false));
    }
}
