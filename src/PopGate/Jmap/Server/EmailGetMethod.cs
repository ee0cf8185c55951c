using System.Globalization;
using System.Text.Json.Nodes;
using PopGate.Mime;

namespace PopGate.Jmap.Server;

/// <summary>Email/get (RFC 8621 section 4.2) for the metadata and header properties this server knows.</summary>
internal static class EmailGetMethod
{
    private static readonly string[] Known =
    [
        "id", "blobId", "threadId", "mailboxIds", "keywords", "size", "receivedAt", "messageId", "inReplyTo",
        "references", "sender", "from", "to", "cc", "bcc", "replyTo", "subject", "sentAt", "hasAttachment", "preview",
    ];

    private static readonly string[] Default =
        ["id", "blobId", "threadId", "mailboxIds", "keywords", "size", "receivedAt", "messageId", "inReplyTo", "references", "from", "to", "cc", "replyTo", "subject", "sentAt"];

    public static async Task<JsonObject> RunAsync(JsonObject args, MethodContext context, CancellationToken cancellationToken)
    {
        context.RequireAccount(args);
        var ids = MethodArgs.Strings(args, "ids");
        var properties = MethodArgs.Strings(args, "properties") ?? [.. Default];
        foreach (var property in properties)
        {
            if (!Known.Contains(property))
            {
                throw MethodError.Invalid($"unknown or unsupported Email property {property}");
            }
        }

        if (ids is not null && ids.Count > context.Options.MaxObjectsInGet)
        {
            throw new MethodError(JmapNames.RequestTooLarge, $"at most {context.Options.MaxObjectsInGet} ids per Email/get");
        }

        var snapshot = await context.SnapshotAsync(cancellationToken).ConfigureAwait(false);
        if (ids is null && snapshot.Emails.Count > context.Options.MaxObjectsInGet)
        {
            throw new MethodError(JmapNames.RequestTooLarge, "too many emails to get them all at once; ask by ids");
        }

        var list = new JsonArray();
        var notFound = new JsonArray();
        foreach (var id in ids ?? snapshot.Emails.Select(e => e.Id))
        {
            if (snapshot.ById.TryGetValue(id, out var email))
            {
                list.Add((JsonNode)Describe(email, properties));
            }
            else
            {
                notFound.Add((JsonNode)id);
            }
        }

        return new JsonObject
        {
            ["accountId"] = context.Account.AccountId,
            ["state"] = snapshot.State,
            ["list"] = list,
            ["notFound"] = notFound,
        };
    }

    private static JsonObject Describe(EmailView email, List<string> properties)
    {
        var summary = email.Summary;
        var result = new JsonObject { ["id"] = email.Id };
        foreach (var property in properties)
        {
            result[property] = property switch
            {
                "id" => email.Id,
                "blobId" => email.BlobId,
                "threadId" => email.ThreadId,
                "mailboxIds" => new JsonObject { [MailboxMethods.InboxId] = true },
                "keywords" => new JsonObject(),
                "size" => email.Size,
                "receivedAt" => Utc(summary.ReceivedAt),
                "messageId" => Strings(summary.MessageId),
                "inReplyTo" => Strings(summary.InReplyTo),
                "references" => Strings(summary.References),
                "from" => Addresses(summary.From),
                "to" => Addresses(summary.To),
                "cc" => Addresses(summary.Cc),
                "replyTo" => Addresses(summary.ReplyTo),
                "subject" => summary.Subject,
                "sentAt" => summary.SentAt is { } sent ? sent.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture) : null,
                "hasAttachment" => false,
                "preview" => string.Empty,
                // sender and bcc are not read from the header.
                _ => null,
            };
        }

        return result;
    }

    public static string Utc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static JsonArray? Strings(IReadOnlyList<string>? items) => items is null ? null : MethodArgs.ToArray(items);

    private static JsonArray? Addresses(IReadOnlyList<MailAddress>? addresses) =>
        addresses is null
            ? null
            : new JsonArray(addresses.Select(a => (JsonNode?)new JsonObject { ["name"] = a.Name, ["email"] = a.Email }).ToArray());
}
