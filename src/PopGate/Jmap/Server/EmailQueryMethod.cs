using System.Text.Json;
using System.Text.Json.Nodes;

namespace PopGate.Jmap.Server;

/// <summary>Email/query (RFC 8621 section 4.4; paging by position or anchor as in RFC 8620 section 5.5).</summary>
internal static class EmailQueryMethod
{
    public static async Task<JsonObject> RunAsync(JsonObject args, MethodContext context, CancellationToken cancellationToken)
    {
        context.RequireAccount(args);
        var filter = EmailFilter.Compile(MethodArgs.Object(args, "filter"));
        var comparers = Comparers(MethodArgs.Array(args, "sort"));
        var position = MethodArgs.Integer(args, "position") ?? 0;
        var anchor = MethodArgs.String(args, "anchor");
        var anchorOffset = MethodArgs.Integer(args, "anchorOffset") ?? 0;
        var limit = MethodArgs.Integer(args, "limit", 0);
        var calculateTotal = MethodArgs.Boolean(args, "calculateTotal", false);
        MethodArgs.Boolean(args, "collapseThreads", false);

        var snapshot = await context.SnapshotAsync(cancellationToken).ConfigureAwait(false);
        var matches = snapshot.Emails.Where(filter).ToList();
        matches.Sort((a, b) =>
        {
            foreach (var compare in comparers)
            {
                var order = compare(a, b);
                if (order != 0)
                {
                    return order;
                }
            }

            return string.CompareOrdinal(a.Id, b.Id);
        });

        long start;
        if (anchor is not null)
        {
            var at = matches.FindIndex(e => e.Id == anchor);
            if (at < 0)
            {
                throw new MethodError(JmapNames.AnchorNotFound);
            }

            start = Math.Max(0, at + anchorOffset);
        }
        else
        {
            start = position < 0 ? Math.Max(0, matches.Count + position) : position;
        }

        start = Math.Min(start, matches.Count);
        var cap = context.Options.MaxQueryLimit;
        var take = (int)Math.Min(limit ?? cap, cap);
        var result = new JsonObject
        {
            ["accountId"] = context.Account.AccountId,
            ["queryState"] = snapshot.State,
            ["canCalculateChanges"] = false,
            ["position"] = start,
            ["ids"] = MethodArgs.ToArray(matches.Skip((int)start).Take(take).Select(e => e.Id)),
        };
        if (calculateTotal)
        {
            result["total"] = matches.Count;
        }

        if (limit is null || limit > cap)
        {
            result["limit"] = cap;
        }

        return result;
    }

    private static List<Comparison<EmailView>> Comparers(JsonArray? sort)
    {
        var list = new List<Comparison<EmailView>>();
        foreach (var item in sort ?? [])
        {
            if (item is not JsonObject comparator)
            {
                throw MethodError.Invalid("a sort comparator must be an object");
            }

            var ascending = MethodArgs.Boolean(comparator, "isAscending", true);
            Comparison<EmailView> compare = MethodArgs.String(comparator, "property", required: true) switch
            {
                "receivedAt" => (a, b) => a.Summary.ReceivedAt.CompareTo(b.Summary.ReceivedAt),
                "sentAt" => (a, b) => Nullable.Compare(a.Summary.SentAt, b.Summary.SentAt),
                "size" => (a, b) => a.Size.CompareTo(b.Size),
                "subject" => (a, b) => string.Compare(a.Summary.Subject, b.Summary.Subject, StringComparison.OrdinalIgnoreCase),
                "from" => (a, b) => string.Compare(a.Summary.From?.FirstOrDefault()?.Email, b.Summary.From?.FirstOrDefault()?.Email, StringComparison.OrdinalIgnoreCase),
                var other => throw new MethodError(JmapNames.UnsupportedSort, $"cannot sort emails by {other}"),
            };
            list.Add(ascending ? compare : (a, b) => compare(b, a));
        }

        return list;
    }
}
