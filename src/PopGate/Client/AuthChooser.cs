namespace PopGate.Client;

/// <summary>Picks how to log in from what the server offers, the credentials at hand and whether TLS protects the link.</summary>
/// <remarks>
/// Order: a forced method; with a token, OAUTHBEARER then XOAUTH2; with a password, SCRAM-SHA-256 (the password
/// never crosses the wire and the server proves itself), then, when TLS or the caller allows cleartext, USER/PASS
/// on pipelining servers (it pipelines with the commands that follow) or else PLAIN, USER, LOGIN; failing those,
/// the challenge-response methods CRAM-MD5 and APOP, which do not reveal the password but need it stored in the
/// clear on the server.
/// </remarks>
public static class AuthChooser
{
    /// <summary>Returns the method name.</summary>
    /// <exception cref="Pop3TlsException">Only cleartext methods are left and the link has no TLS.</exception>
    /// <exception cref="NotSupportedException">The server offers nothing usable with these credentials.</exception>
    /// <param name="preferSingleTurn">Over TLS (or allowed cleartext) on a pipelining server, take USER/PASS or PLAIN
    /// before SCRAM: they travel with the commands that follow, SCRAM costs two more round trips.</param>
    public static string Choose(Pop3Capabilities capabilities, Pop3Greeting? greeting, Pop3Credentials credentials, bool secure, bool allowCleartext, bool preferSingleTurn = false)
    {
        if (credentials.Mechanism is { } forced)
        {
            return forced.ToUpperInvariant();
        }

        if (credentials.OAuthToken is not null)
        {
            if (capabilities.HasSasl(AuthMethods.OAuthBearer))
            {
                return AuthMethods.OAuthBearer;
            }

            if (capabilities.HasSasl(AuthMethods.XOAuth2) || !capabilities.Known)
            {
                return AuthMethods.XOAuth2;
            }

            throw new NotSupportedException("the server offers neither OAUTHBEARER nor XOAUTH2 for a token");
        }

        if (credentials.Password is null)
        {
            throw new ArgumentException("the credentials carry neither a password nor a token", nameof(credentials));
        }

        var userPass = capabilities.User || !capabilities.Known;
        if (preferSingleTurn && (secure || allowCleartext) && capabilities.Pipelining)
        {
            if (userPass)
            {
                return AuthMethods.User;
            }

            if (capabilities.HasSasl(AuthMethods.Plain))
            {
                return AuthMethods.Plain;
            }
        }

        if (capabilities.HasSasl(AuthMethods.ScramSha256))
        {
            return AuthMethods.ScramSha256;
        }

        if (secure || allowCleartext)
        {
            if (capabilities.Pipelining && userPass)
            {
                return AuthMethods.User;
            }

            if (capabilities.HasSasl(AuthMethods.Plain))
            {
                return AuthMethods.Plain;
            }

            if (userPass)
            {
                return AuthMethods.User;
            }

            if (capabilities.HasSasl(AuthMethods.Login))
            {
                return AuthMethods.Login;
            }
        }

        if (capabilities.HasSasl(AuthMethods.CramMd5))
        {
            return AuthMethods.CramMd5;
        }

        if (greeting?.ApopTimestamp is not null)
        {
            return AuthMethods.Apop;
        }

        if (!secure && (userPass || capabilities.HasSasl(AuthMethods.Plain) || capabilities.HasSasl(AuthMethods.Login)))
        {
            throw new Pop3TlsException("refusing to send the password without TLS; connect with ssl: or starttls:, or allow cleartext passwords");
        }

        throw new NotSupportedException("the server offers no login method this client knows");
    }
}
