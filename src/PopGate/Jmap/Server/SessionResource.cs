using System.Text.Json.Nodes;

namespace PopGate.Jmap.Server;

/// <summary>The session resource (RFC 8620 section 2) for one user.</summary>
internal static class SessionResource
{
    public const string ApiPath = "/jmap/api/";
    public const string SessionPath = "/jmap/session";
    public const string DownloadPrefix = "/jmap/download/";
    public const string UploadPrefix = "/jmap/upload/";

    /// <param name="origin">"http://host:port" for absolute URLs, or empty for URLs relative to the session.</param>
    public static JsonObject Build(JmapAccount account, JmapServerOptions options, string origin)
    {
        var core = new JsonObject
        {
            ["maxSizeUpload"] = 0,
            ["maxConcurrentUpload"] = 1,
            ["maxSizeRequest"] = options.MaxSizeRequest,
            ["maxConcurrentRequests"] = 4,
            ["maxCallsInRequest"] = options.MaxCallsInRequest,
            ["maxObjectsInGet"] = options.MaxObjectsInGet,
            ["maxObjectsInSet"] = options.MaxObjectsInSet,
            ["collationAlgorithms"] = new JsonArray("i;ascii-casemap"),
        };
        var mail = new JsonObject
        {
            ["maxMailboxesPerEmail"] = 1,
            ["maxMailboxDepth"] = 1,
            ["maxSizeMailboxName"] = 255,
            ["maxSizeAttachmentsPerEmail"] = 0,
            ["emailQuerySortOptions"] = new JsonArray("receivedAt", "sentAt", "size", "subject", "from"),
            ["mayCreateTopLevelMailbox"] = false,
        };
        return new JsonObject
        {
            ["capabilities"] = new JsonObject { [JmapNames.Core] = core, [JmapNames.Mail] = new JsonObject() },
            ["accounts"] = new JsonObject
            {
                [account.AccountId] = new JsonObject
                {
                    ["name"] = account.User,
                    ["isPersonal"] = true,
                    ["isReadOnly"] = false,
                    ["accountCapabilities"] = new JsonObject { [JmapNames.Mail] = mail },
                },
            },
            ["primaryAccounts"] = new JsonObject { [JmapNames.Mail] = account.AccountId },
            ["username"] = account.User,
            ["apiUrl"] = origin + ApiPath,
            ["downloadUrl"] = origin + DownloadPrefix + "{accountId}/{blobId}/{name}?type={type}",
            ["uploadUrl"] = origin + UploadPrefix + "{accountId}/",
            ["eventSourceUrl"] = origin + "/jmap/eventsource/?types={types}&closeafter={closeafter}&ping={ping}",
            ["state"] = ApiProcessor.SessionState,
        };
    }
}
