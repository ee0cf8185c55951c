using System.Text.Json;
using System.Text.Json.Nodes;

namespace PopGate.Jmap.Server;

/// <summary>Mailbox/get and Mailbox/query over the one mailbox a maildrop is: the inbox.</summary>
internal static class MailboxMethods
{
    public const string InboxId = "inbox";

    private static readonly string[] AllProperties =
        ["id", "name", "parentId", "role", "sortOrder", "totalEmails", "unreadEmails", "totalThreads", "unreadThreads", "myRights", "isSubscribed"];

    public static async Task<JsonObject> GetAsync(JsonObject args, MethodContext context, CancellationToken cancellationToken)
    {
        context.RequireAccount(args);
        var ids = MethodArgs.Strings(args, "ids");
        var properties = MethodArgs.Strings(args, "properties") ?? [.. AllProperties];
        foreach (var property in properties)
        {
            if (!AllProperties.Contains(property))
            {
                throw MethodError.Invalid($"unknown Mailbox property {property}");
            }
        }

        var snapshot = await context.SnapshotAsync(cancellationToken).ConfigureAwait(false);
        var list = new JsonArray();
        var notFound = new JsonArray();
        foreach (var id in ids ?? [InboxId])
        {
            if (id == InboxId)
            {
                list.Add((JsonNode)Inbox(snapshot.Emails.Count, properties));
            }
            else
            {
                notFound.Add((JsonNode)id);
            }
        }

        return new JsonObject
        {
            ["accountId"] = context.Account.AccountId,
            ["state"] = "m" + snapshot.State,
            ["list"] = list,
            ["notFound"] = notFound,
        };
    }

    public static async Task<JsonObject> QueryAsync(JsonObject args, MethodContext context, CancellationToken cancellationToken)
    {
        context.RequireAccount(args);
        var filter = MethodArgs.Object(args, "filter");
        var matches = filter is null || Matches(filter);
        var position = MethodArgs.Integer(args, "position") ?? 0;
        var limit = MethodArgs.Integer(args, "limit", 0);
        var snapshot = await context.SnapshotAsync(cancellationToken).ConfigureAwait(false);
        var all = matches ? new[] { InboxId } : [];
        var start = (int)Math.Clamp(position < 0 ? all.Length + position : position, 0, all.Length);
        var ids = all.Skip(start).Take((int)Math.Min(limit ?? int.MaxValue, int.MaxValue));
        var result = new JsonObject
        {
            ["accountId"] = context.Account.AccountId,
            ["queryState"] = "m" + snapshot.State,
            ["canCalculateChanges"] = false,
            ["position"] = start,
            ["ids"] = MethodArgs.ToArray(ids),
        };
        if (MethodArgs.Boolean(args, "calculateTotal", false))
        {
            result["total"] = all.Length;
        }

        return result;
    }

    /// <summary>Evaluates a Mailbox filter (conditions and operators) against the inbox.</summary>
    private static bool Matches(JsonObject filter)
    {
        if (filter["operator"] is { } op)
        {
            var conditions = MethodArgs.Array(filter, "conditions") ?? throw MethodError.Invalid("a filter operator needs conditions");
            var results = conditions.Select(c => c is JsonObject o ? Matches(o) : throw MethodError.Invalid("a condition must be an object")).ToList();
            return (op.GetValueKind() == JsonValueKind.String ? op.GetValue<string>() : null) switch
            {
                "AND" => results.All(r => r),
                "OR" => results.Any(r => r),
                "NOT" => !results.Any(r => r),
                _ => throw new MethodError(JmapNames.UnsupportedFilter, "unknown filter operator"),
            };
        }

        var match = true;
        foreach (var (name, _) in filter)
        {
            match &= name switch
            {
                "role" => filter[name] is null ? false : MethodArgs.String(filter, name) == "inbox",
                "name" => "Inbox".Contains(MethodArgs.String(filter, name) ?? string.Empty, StringComparison.OrdinalIgnoreCase),
                "parentId" => filter[name] is null,
                "hasAnyRole" => MethodArgs.Boolean(filter, name, true),
                "isSubscribed" => MethodArgs.Boolean(filter, name, true),
                _ => throw new MethodError(JmapNames.UnsupportedFilter, $"cannot filter mailboxes by {name}"),
            };
        }

        return match;
    }

    private static JsonObject Inbox(int count, List<string> properties)
    {
        var inbox = new JsonObject { ["id"] = InboxId };
        foreach (var property in properties)
        {
            inbox[property] = property switch
            {
                "id" => InboxId,
                "name" => "Inbox",
                "parentId" => null,
                "role" => "inbox",
                "sortOrder" => 0,
                "totalEmails" or "unreadEmails" or "totalThreads" or "unreadThreads" => count,
                "isSubscribed" => true,
                "myRights" => new JsonObject
                {
                    ["mayReadItems"] = true,
                    ["mayAddItems"] = false,
                    ["mayRemoveItems"] = true,
                    ["maySetSeen"] = false,
                    ["maySetKeywords"] = false,
                    ["mayCreateChild"] = false,
                    ["mayRename"] = false,
                    ["mayDelete"] = false,
                    ["maySubmit"] = false,
                },
                _ => null,
            };
        }

        return inbox;
    }
}
