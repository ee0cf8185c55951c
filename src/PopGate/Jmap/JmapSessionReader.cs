using System.Text.Json;

namespace PopGate.Jmap;

/// <summary>Reads a session resource into a <see cref="JmapSession"/>, with defaults where a server is silent.</summary>
public static class JmapSessionReader
{
    /// <exception cref="JmapException">The document is not a usable session resource.</exception>
    public static JmapSession Read(JsonElement root, Uri sessionUrl)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Bad("the session resource is not a JSON object");
        }

        var apiUrl = RequiredString(root, "apiUrl");
        var downloadUrl = RequiredString(root, "downloadUrl");
        var accountId = MailAccount(root) ?? throw Bad("the session names no account with mail");

        long maxSizeRequest = 10_000_000;
        int maxCalls = 16, maxGet = 500, maxSet = 500;
        if (root.TryGetProperty("capabilities", out var caps) && caps.ValueKind == JsonValueKind.Object
            && caps.TryGetProperty(JmapNames.Core, out var core) && core.ValueKind == JsonValueKind.Object)
        {
            maxSizeRequest = Number(core, "maxSizeRequest", maxSizeRequest);
            maxCalls = (int)Math.Min(Number(core, "maxCallsInRequest", maxCalls), 1024);
            maxGet = (int)Math.Min(Number(core, "maxObjectsInGet", maxGet), 100_000);
            maxSet = (int)Math.Min(Number(core, "maxObjectsInSet", maxSet), 100_000);
        }

        Uri api;
        try
        {
            api = new Uri(sessionUrl, apiUrl);
        }
        catch (UriFormatException e)
        {
            throw new JmapException(JmapFailure.Permanent, "the session's apiUrl is not a URL", null, e);
        }

        return new JmapSession(
            sessionUrl,
            api,
            downloadUrl,
            accountId,
            OptionalString(root, "username"),
            OptionalString(root, "state") ?? string.Empty,
            Math.Max(maxSizeRequest, 1),
            Math.Max(maxCalls, 1),
            Math.Max(maxGet, 1),
            Math.Max(maxSet, 1));
    }

    private static string? MailAccount(JsonElement root)
    {
        if (root.TryGetProperty("primaryAccounts", out var primary) && primary.ValueKind == JsonValueKind.Object
            && primary.TryGetProperty(JmapNames.Mail, out var id) && id.ValueKind == JsonValueKind.String)
        {
            return id.GetString();
        }

        // Some servers leave primaryAccounts out: take the first account that has the mail capability.
        if (root.TryGetProperty("accounts", out var accounts) && accounts.ValueKind == JsonValueKind.Object)
        {
            foreach (var account in accounts.EnumerateObject())
            {
                if (account.Value.ValueKind == JsonValueKind.Object
                    && account.Value.TryGetProperty("accountCapabilities", out var caps)
                    && caps.ValueKind == JsonValueKind.Object
                    && caps.TryGetProperty(JmapNames.Mail, out _))
                {
                    return account.Name;
                }
            }
        }

        return null;
    }

    private static long Number(JsonElement obj, string name, long fallback) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) && n > 0
            ? n
            : fallback;

    private static string RequiredString(JsonElement obj, string name) =>
        OptionalString(obj, name) ?? throw Bad($"the session resource has no {name}");

    private static string? OptionalString(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static JmapException Bad(string message) => new(JmapFailure.Permanent, message);
}
