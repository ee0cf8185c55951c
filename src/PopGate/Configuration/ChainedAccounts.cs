using PopGate.Server;

namespace PopGate.Configuration;

/// <summary>Asks several directories in turn: the first that knows the user answers (users file, then pass-through).</summary>
public sealed class ChainedAccounts(IReadOnlyList<IAccountDirectory> directories) : IAccountDirectory
{
    public async ValueTask<Account?> FindAsync(string user, CancellationToken cancellationToken)
    {
        foreach (var directory in directories)
        {
            if (await directory.FindAsync(user, cancellationToken).ConfigureAwait(false) is { } account)
            {
                return account;
            }
        }

        return null;
    }
}
