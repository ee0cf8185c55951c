using System.Collections.Concurrent;
using PopGate.Stores;

namespace PopGate.Server;

/// <summary>A fixed set of accounts held in memory: for embedding the server in tests and small tools.</summary>
public sealed class AccountList : IAccountDirectory
{
    private readonly ConcurrentDictionary<string, Account> _accounts = new(StringComparer.Ordinal);

    /// <summary>Adds a user with a password kept in clear (so APOP works too).</summary>
    public AccountList Add(string user, string password, IMailStore store)
    {
        _accounts[user] = new Account(user, store, new ClearTextCredentials(password));
        return this;
    }

    public AccountList Add(Account account)
    {
        _accounts[account.Name] = account;
        return this;
    }

    public ValueTask<Account?> FindAsync(string user, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_accounts.GetValueOrDefault(user));
}
