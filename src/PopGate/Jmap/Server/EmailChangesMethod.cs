using System.Text.Json.Nodes;

namespace PopGate.Jmap.Server;

/// <summary>Email/changes (RFC 8620 section 5.2), answered from the states this server has seen.</summary>
internal static class EmailChangesMethod
{
    public static async Task<JsonObject> RunAsync(JsonObject args, MethodContext context, CancellationToken cancellationToken)
    {
        context.RequireAccount(args);
        var since = MethodArgs.String(args, "sinceState", required: true)!;
        var max = MethodArgs.Integer(args, "maxChanges", 1) ?? int.MaxValue;
        var snapshot = await context.SnapshotAsync(cancellationToken).ConfigureAwait(false);
        var changes = context.Account.ChangesSince(since, snapshot.State, (int)Math.Min(max, int.MaxValue))
            ?? throw new MethodError(JmapNames.CannotCalculateChanges, "that state is unknown here (too old, or from before a restart), or the first change since is larger than maxChanges");
        return new JsonObject
        {
            ["accountId"] = context.Account.AccountId,
            ["oldState"] = since,
            ["newState"] = changes.NewState,
            ["hasMoreChanges"] = changes.HasMoreChanges,
            ["created"] = MethodArgs.ToArray(changes.Created),
            ["updated"] = MethodArgs.ToArray(changes.Updated),
            ["destroyed"] = MethodArgs.ToArray(changes.Destroyed),
        };
    }
}
