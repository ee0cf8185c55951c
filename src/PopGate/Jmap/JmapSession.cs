namespace PopGate.Jmap;

/// <summary>What a client needs from the JMAP session resource (RFC 8620 section 2), URLs already resolved.</summary>
/// <param name="SessionUrl">Where the session resource was found, after redirects; relative URLs resolve against it.</param>
/// <param name="ApiUrl">Where method calls are POSTed.</param>
/// <param name="DownloadUrlTemplate">The RFC 6570 template for blob downloads, as the server gave it.</param>
/// <param name="AccountId">The primary account for mail.</param>
public sealed record JmapSession(
    Uri SessionUrl,
    Uri ApiUrl,
    string DownloadUrlTemplate,
    string AccountId,
    string? Username,
    string State,
    long MaxSizeRequest,
    int MaxCallsInRequest,
    int MaxObjectsInGet,
    int MaxObjectsInSet)
{
    /// <summary>The download URL of one blob: the template expanded, then resolved against the session URL.</summary>
    public Uri DownloadUri(string blobId, string type, string name)
    {
        var expanded = UriTemplate.Expand(DownloadUrlTemplate, variable => variable switch
        {
            "accountId" => AccountId,
            "blobId" => blobId,
            "type" => type,
            "name" => name,
            _ => null,
        });
        return new Uri(SessionUrl, expanded);
    }
}
