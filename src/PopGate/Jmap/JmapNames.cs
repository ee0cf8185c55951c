namespace PopGate.Jmap;

/// <summary>Capability URIs and error types of RFC 8620 and RFC 8621 that this code speaks.</summary>
public static class JmapNames
{
    public const string Core = "urn:ietf:params:jmap:core";
    public const string Mail = "urn:ietf:params:jmap:mail";

    /// <summary>Prefix of the request-level error types sent as problem details (RFC 8620 section 3.6.1).</summary>
    public const string RequestErrorPrefix = "urn:ietf:params:jmap:error:";

    public const string UnknownCapability = "unknownCapability";
    public const string NotJson = "notJSON";
    public const string NotRequest = "notRequest";
    public const string Limit = "limit";

    public const string UnknownMethod = "unknownMethod";
    public const string InvalidArguments = "invalidArguments";
    public const string InvalidResultReference = "invalidResultReference";
    public const string StateMismatch = "stateMismatch";
    public const string CannotCalculateChanges = "cannotCalculateChanges";
    public const string AccountNotFound = "accountNotFound";
    public const string ServerFail = "serverFail";
    public const string ServerUnavailable = "serverUnavailable";
    public const string RequestTooLarge = "requestTooLarge";
    public const string UnsupportedFilter = "unsupportedFilter";
    public const string UnsupportedSort = "unsupportedSort";
    public const string AnchorNotFound = "anchorNotFound";
    public const string NotFound = "notFound";
    public const string Forbidden = "forbidden";
}
