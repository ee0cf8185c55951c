namespace PopGate.Client;

/// <summary>Who logs in and with what: a password or an OAuth 2.0 access token, and optionally a forced method.</summary>
public sealed record Pop3Credentials(string User)
{
    public string? Password { get; init; }

    /// <summary>An OAuth 2.0 bearer token for XOAUTH2 or OAUTHBEARER.</summary>
    public string? OAuthToken { get; init; }

    /// <summary>
    /// The method to use instead of choosing one: a SASL mechanism name (PLAIN, LOGIN, CRAM-MD5, SCRAM-SHA-256,
    /// XOAUTH2, OAUTHBEARER), or USER (USER and PASS) or APOP.
    /// </summary>
    public string? Mechanism { get; init; }

    public override string ToString() => $"Pop3Credentials {{ User = {User}, Mechanism = {Mechanism ?? "auto"} }}";
}
