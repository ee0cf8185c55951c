using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PopGate.Jmap.Server;

/// <summary>The Email/query filters this server can evaluate (RFC 8621 section 4.4.1), on a message's header.</summary>
internal static class EmailFilter
{
    public static Func<EmailView, bool> Compile(JsonObject? filter)
    {
        if (filter is null)
        {
            return static _ => true;
        }

        if (filter["operator"] is { } op)
        {
            var conditions = MethodArgs.Array(filter, "conditions") ?? throw MethodError.Invalid("a filter operator needs conditions");
            var parts = conditions.Select(c => c is JsonObject o ? Compile(o) : throw MethodError.Invalid("a condition must be an object")).ToList();
            return (op.GetValueKind() == JsonValueKind.String ? op.GetValue<string>() : null) switch
            {
                "AND" => e => parts.All(p => p(e)),
                "OR" => e => parts.Any(p => p(e)),
                "NOT" => e => !parts.Any(p => p(e)),
                _ => throw new MethodError(JmapNames.UnsupportedFilter, "unknown filter operator"),
            };
        }

        var tests = new List<Func<EmailView, bool>>();
        foreach (var (name, _) in filter)
        {
            tests.Add(Condition(filter, name));
        }

        return e => tests.All(t => t(e));
    }

    private static Func<EmailView, bool> Condition(JsonObject filter, string name)
    {
        switch (name)
        {
            case "inMailbox":
                var mailbox = MethodArgs.String(filter, name);
                return _ => mailbox == MailboxMethods.InboxId;
            case "inMailboxOtherThan":
                var others = MethodArgs.Strings(filter, name) ?? [];
                return _ => !others.Contains(MailboxMethods.InboxId);
            case "minSize":
                var min = MethodArgs.Integer(filter, name, 0) ?? 0;
                return e => e.Size >= min;
            case "maxSize":
                var max = MethodArgs.Integer(filter, name, 0) ?? long.MaxValue;
                return e => e.Size < max;
            case "before":
                var before = Date(filter, name);
                return e => e.Summary.ReceivedAt < before;
            case "after":
                var after = Date(filter, name);
                return e => e.Summary.ReceivedAt >= after;
            case "subject":
                var subject = MethodArgs.String(filter, name) ?? string.Empty;
                return e => e.Summary.Subject?.Contains(subject, StringComparison.OrdinalIgnoreCase) == true;
            case "from":
                var from = MethodArgs.String(filter, name) ?? string.Empty;
                return e => e.Summary.From?.Any(a => a.Email.Contains(from, StringComparison.OrdinalIgnoreCase)
                    || a.Name?.Contains(from, StringComparison.OrdinalIgnoreCase) == true) == true;
            default:
                throw new MethodError(JmapNames.UnsupportedFilter, $"cannot filter emails by {name}");
        }
    }

    private static DateTimeOffset Date(JsonObject filter, string name) =>
        DateTimeOffset.TryParse(MethodArgs.String(filter, name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value
            : throw MethodError.Invalid($"{name} must be a UTCDate");
}
