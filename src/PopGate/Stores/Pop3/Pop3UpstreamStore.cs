using PopGate.Client;
using PopGate.Protocol;

namespace PopGate.Stores.Pop3;

/// <summary>
/// Another POP3 account shown as this server's maildrop. The listing (UIDL and LIST) is asked in one pipelined
/// turn after the login; DELEs are sent to the upstream only at QUIT, so a dropped POP3 session never deletes.
/// UIDLs pass through unchanged (hashed only if the upstream's break the rules).
/// </summary>
public sealed class Pop3UpstreamStore(Pop3UpstreamOptions options) : IMailStore
{
    public async ValueTask<IMaildrop> OpenAsync(MaildropRequest request, CancellationToken cancellationToken)
    {
        var user = options.User ?? request.User;
        var maildropLock = MaildropLock.Acquire($"pop3:{options.Server.Host}:{options.Server.Port}:{user}", null);
        var client = new Pop3Client(options.Client);
        try
        {
            var secret = options.Secret is null
                ? request.Password ?? throw new MaildropException(ResponseCodes.Auth, "the upstream login needs the password in clear (USER/PASS or AUTH PLAIN)")
                : await options.Secret(request, cancellationToken).ConfigureAwait(false);
            await client.ConnectAsync(options.Server, cancellationToken).ConfigureAwait(false);
            var credentials = options.Mechanism is "XOAUTH2" or "OAUTHBEARER"
                ? new Pop3Credentials(user) { OAuthToken = secret, Mechanism = options.Mechanism }
                : new Pop3Credentials(user) { Password = secret, Mechanism = options.Mechanism };
            var login = client.AuthenticateAsync(credentials, cancellationToken);
            var uids = client.UidlAsync(cancellationToken);
            var sizes = client.ListAsync(cancellationToken);
            await login.ConfigureAwait(false);
            var byNumber = (await uids.ConfigureAwait(false)).ToDictionary(u => u.Number, u => u.Uid);
            var listing = await sizes.ConfigureAwait(false);
            var messages = listing.Select(m => new Pop3UpstreamMessage(m.Number, new MessageEntry(UidHash.ToUid(byNumber.GetValueOrDefault(m.Number, $"n{m.Number}")), m.Size))).ToList();
            var maildrop = new Pop3UpstreamMaildrop(client, messages, maildropLock);
            client = null;
            return maildrop;
        }
        catch (Pop3CommandException e) when (e.Command is "PASS" or "USER" or "AUTH" or "APOP" && e.ResponseCode is null or ResponseCodes.Auth)
        {
            throw new MaildropException(ResponseCodes.Auth, "the upstream server refused the login", e);
        }
        catch (Pop3CommandException e)
        {
            throw new MaildropException(e.ResponseCode is ResponseCodes.InUse or ResponseCodes.LoginDelay or ResponseCodes.SysPerm ? e.ResponseCode : ResponseCodes.SysTemp, "upstream: " + e.ServerText, e);
        }
        catch (Pop3Exception e)
        {
            throw new MaildropException(ResponseCodes.SysTemp, "upstream POP3 server unavailable: " + e.Message, e);
        }
        finally
        {
            if (client is not null)
            {
                await client.DisposeAsync().ConfigureAwait(false);
                maildropLock.Dispose();
            }
        }
    }
}
