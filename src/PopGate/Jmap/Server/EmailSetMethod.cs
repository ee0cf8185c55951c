using System.Text.Json.Nodes;

namespace PopGate.Jmap.Server;

/// <summary>
/// Email/set: destroy only, written to the store under its lock. Creating and updating emails is refused per
/// object with "forbidden", which is what a read-and-delete mailbox allows.
/// </summary>
internal static class EmailSetMethod
{
    public static async Task<JsonObject> RunAsync(JsonObject args, MethodContext context, CancellationToken cancellationToken)
    {
        context.RequireAccount(args);
        var ifInState = MethodArgs.String(args, "ifInState");
        var create = MethodArgs.Object(args, "create");
        var update = MethodArgs.Object(args, "update");
        var destroy = MethodArgs.Strings(args, "destroy") ?? [];
        if ((create?.Count ?? 0) + (update?.Count ?? 0) + destroy.Count > context.Options.MaxObjectsInSet)
        {
            throw new MethodError(JmapNames.RequestTooLarge, $"at most {context.Options.MaxObjectsInSet} objects per Email/set");
        }

        var snapshot = await context.SnapshotAsync(cancellationToken).ConfigureAwait(false);
        var oldState = snapshot.State;
        if (ifInState is not null && ifInState != oldState)
        {
            throw new MethodError(JmapNames.StateMismatch);
        }

        var notCreated = new JsonObject();
        foreach (var (key, _) in create ?? [])
        {
            notCreated[key] = SetError(JmapNames.Forbidden, "this server does not store new emails");
        }

        var notUpdated = new JsonObject();
        foreach (var (key, _) in update ?? [])
        {
            notUpdated[key] = SetError(snapshot.ById.ContainsKey(key) ? JmapNames.Forbidden : JmapNames.NotFound, "emails here cannot be changed, only destroyed");
        }

        var notDestroyed = new JsonObject();
        var targets = new List<EmailView>();
        foreach (var id in destroy.Distinct(StringComparer.Ordinal))
        {
            if (snapshot.ById.TryGetValue(id, out var email))
            {
                targets.Add(email);
            }
            else
            {
                notDestroyed[id] = SetError(JmapNames.NotFound, null);
            }
        }

        var destroyed = new JsonArray();
        if (targets.Count > 0)
        {
            var remaining = await snapshot.RemoveAsync(targets, cancellationToken).ConfigureAwait(false);
            foreach (var email in targets)
            {
                if (remaining.Contains(email.Id))
                {
                    notDestroyed[email.Id] = SetError(JmapNames.ServerFail, "the store could not remove it");
                }
                else
                {
                    destroyed.Add((JsonNode)email.Id);
                }
            }
        }

        return new JsonObject
        {
            ["accountId"] = context.Account.AccountId,
            ["oldState"] = oldState,
            ["newState"] = snapshot.State,
            ["created"] = null,
            ["updated"] = null,
            ["destroyed"] = destroyed.Count > 0 ? destroyed : null,
            ["notCreated"] = notCreated.Count > 0 ? notCreated : null,
            ["notUpdated"] = notUpdated.Count > 0 ? notUpdated : null,
            ["notDestroyed"] = notDestroyed.Count > 0 ? notDestroyed : null,
        };
    }

    private static JsonObject SetError(string type, string? description)
    {
        var error = new JsonObject { ["type"] = type };
        if (description is not null)
        {
            error["description"] = description;
        }

        return error;
    }
}
