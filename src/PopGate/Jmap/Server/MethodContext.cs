using System.Text.Json.Nodes;

namespace PopGate.Jmap.Server;

/// <summary>What a method call may use: the account, its maildrop snapshot (opened on first use), the limits.</summary>
internal sealed class MethodContext : IAsyncDisposable
{
    private AccountSnapshot? _snapshot;

    public MethodContext(JmapAccount account, JmapServerOptions options)
    {
        Account = account;
        Options = options;
    }

    public JmapAccount Account { get; }
    public JmapServerOptions Options { get; }

    public async Task<AccountSnapshot> SnapshotAsync(CancellationToken cancellationToken) =>
        _snapshot ??= await AccountSnapshot.OpenAsync(Account, Options, cancellationToken).ConfigureAwait(false);

    /// <summary>Checks the accountId argument names this account.</summary>
    public void RequireAccount(JsonObject args)
    {
        var id = MethodArgs.String(args, "accountId", required: true);
        if (id != Account.AccountId)
        {
            throw new MethodError(JmapNames.AccountNotFound);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_snapshot is not null)
        {
            await _snapshot.DisposeAsync().ConfigureAwait(false);
        }
    }
}
