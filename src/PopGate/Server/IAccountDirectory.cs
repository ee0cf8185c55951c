namespace PopGate.Server;

/// <summary>Finds accounts by user name: a users file, a pass-through table, or a test's fixed list.</summary>
public interface IAccountDirectory
{
    /// <summary>The account, or null when the user is unknown.</summary>
    ValueTask<Account?> FindAsync(string user, CancellationToken cancellationToken);
}
