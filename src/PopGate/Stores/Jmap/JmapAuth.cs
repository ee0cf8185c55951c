using System.Net.Http.Headers;
using System.Text;

namespace PopGate.Stores.Jmap;

/// <summary>How the store proves who it is to the JMAP server.</summary>
public abstract record JmapAuth
{
    private JmapAuth()
    {
    }

    /// <summary>Basic auth with one fixed account, whoever logs in over POP3.</summary>
    public static JmapAuth Basic(string user, string password) => new FixedBasic(user, password);

    /// <summary>A fixed Bearer token (an API token from the mail provider).</summary>
    public static JmapAuth Bearer(string token) => new TokenFrom((_, _) => ValueTask.FromResult(token), null);

    /// <summary>Basic auth with the POP3 user name and password (pass-through).</summary>
    public static JmapAuth PassThroughBasic { get; } = new PassThrough(AsToken: false);

    /// <summary>The POP3 password is sent as a Bearer token (clients that keep an app token as their password).</summary>
    public static JmapAuth PassThroughBearer { get; } = new PassThrough(AsToken: true);

    /// <summary>A Bearer token asked for at every login (an OAuth2 refresher, a command's output...).</summary>
    /// <param name="provider">Gets the token for the maildrop request.</param>
    /// <param name="user">The upstream account the tokens are for, for the maildrop lock; null means the POP3 user.</param>
    public static JmapAuth BearerFrom(Func<MaildropRequest, CancellationToken, ValueTask<string>> provider, string? user = null) =>
        new TokenFrom(provider, user);

    /// <summary>The Authorization header for this login, and the upstream user name the maildrop lock is taken for.</summary>
    internal async ValueTask<(AuthenticationHeaderValue Header, string User)> ResolveAsync(MaildropRequest request, CancellationToken cancellationToken)
    {
        switch (this)
        {
            case FixedBasic basic:
                return (BasicHeader(basic.User, basic.Password), basic.User);
            case PassThrough pass:
                if (request.Password is null)
                {
                    throw new MaildropException(Protocol.ResponseCodes.Auth, "this mailbox needs the password in clear to log in upstream");
                }

                return (pass.AsToken ? new AuthenticationHeaderValue("Bearer", request.Password) : BasicHeader(request.User, request.Password), request.User);
            case TokenFrom token:
                var value = await token.Provider(request, cancellationToken).ConfigureAwait(false);
                if (string.IsNullOrEmpty(value))
                {
                    throw new MaildropException(Protocol.ResponseCodes.SysTemp, "no token to log in upstream");
                }

                return (new AuthenticationHeaderValue("Bearer", value), token.User ?? request.User);
            default:
                throw new InvalidOperationException("unknown JMAP credentials");
        }
    }

    private static AuthenticationHeaderValue BasicHeader(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));

    private sealed record FixedBasic(string User, string Password) : JmapAuth
    {
        // A password must never show up in logs through a record's generated ToString.
        public override string ToString() => $"Basic {User}";
    }

    private sealed record PassThrough(bool AsToken) : JmapAuth;

    private sealed record TokenFrom(Func<MaildropRequest, CancellationToken, ValueTask<string>> Provider, string? User) : JmapAuth;
}
