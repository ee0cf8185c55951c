namespace PopGate.Imap;

/// <summary>How to log in with a password or a token.</summary>
public enum ImapAuthMechanism
{
    /// <summary>LOGIN (it can be pipelined), or AUTHENTICATE PLAIN when the server disabled LOGIN (for a password).</summary>
    Auto,

    /// <summary>The LOGIN command.</summary>
    Login,

    /// <summary>AUTHENTICATE PLAIN.</summary>
    Plain,

    /// <summary>AUTHENTICATE XOAUTH2 (the secret is an OAuth2 access token).</summary>
    XOAuth2,

    /// <summary>AUTHENTICATE OAUTHBEARER (RFC 7628; the secret is an OAuth2 access token).</summary>
    OAuthBearer,
}
