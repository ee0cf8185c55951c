using PopGate.Imap;
using PopGate.Protocol;

namespace PopGate.Stores.Imap;

/// <summary>
/// Serves IMAP folders as a POP3 maildrop: one upstream connection per session, the snapshot taken at login,
/// messages streamed from the server as POP3 sends them, deletions applied at QUIT to exactly the messages the
/// POP3 client deleted.
/// </summary>
public sealed class ImapStore : IMailStore
{
    private readonly ImapStoreOptions _options;
    private readonly string[] _tags;

    public ImapStore(ImapStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Folders.Count == 0)
        {
            throw new ArgumentException("at least one folder", nameof(options));
        }

        _tags = options.Folders.Select(FolderTag.Of).ToArray();
        if (_tags.Distinct(StringComparer.Ordinal).Count() != _tags.Length)
        {
            throw new ArgumentException("the folders must differ", nameof(options));
        }

        if (options.User is not null && options.Password is null && options.TokenProvider is null)
        {
            throw new ArgumentException("a fixed upstream user needs a password or a token provider", nameof(options));
        }

        _options = options;
    }

    public ImapStoreOptions Options => _options;

    public async ValueTask<IMaildrop> OpenAsync(MaildropRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var user = _options.User ?? request.User;
        var locks = Lock(user);
        ImapClient? client = null;
        try
        {
            var secret = await SecretAsync(request, cancellationToken).ConfigureAwait(false);
            client = await ImapClient.ConnectAsync(_options.Connection, cancellationToken).ConfigureAwait(false);
            var (folders, messages) = await ImapListing.OpenAsync(client, _options, user, secret, Mechanism(client), cancellationToken).ConfigureAwait(false);
            var maildrop = new ImapMaildrop(client, _options, folders, messages, _tags, locks);
            client = null;
            locks = [];
            return maildrop;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw UpstreamFailure.Of(e, "opening the maildrop");
        }
        finally
        {
            if (client is not null)
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }

            foreach (var held in locks)
            {
                held.Dispose();
            }
        }
    }

    /// <summary>One lock per folder of the upstream account, so that stores sharing a folder also exclude each other.</summary>
    private MaildropLock[] Lock(string user)
    {
        var locks = new List<MaildropLock>();
        try
        {
            foreach (var folder in _options.Folders)
            {
                locks.Add(MaildropLock.Acquire($"imap:{_options.Host}:{_options.Connection.EffectivePort}:{user}:{folder}", null));
            }

            return [.. locks];
        }
        catch
        {
            locks.ForEach(l => l.Dispose());
            throw;
        }
    }

    private async ValueTask<string> SecretAsync(MaildropRequest request, CancellationToken cancellationToken)
    {
        if (_options.TokenProvider is { } tokens)
        {
            try
            {
                return await tokens(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new MaildropException(ResponseCodes.SysTemp, "no OAuth2 token for the upstream login: " + e.Message, e);
            }
        }

        if (_options.User is not null)
        {
            return _options.Password!;
        }

        return request.Password
            ?? throw new MaildropException(ResponseCodes.Auth, "the upstream login needs the password in clear (USER/PASS or AUTH PLAIN)");
    }

    private ImapAuthMechanism Mechanism(ImapClient client)
    {
        if (_options.TokenProvider is null || _options.Mechanism is ImapAuthMechanism.XOAuth2 or ImapAuthMechanism.OAuthBearer)
        {
            return _options.Mechanism;
        }

        return client.Capabilities.HasAuth("OAUTHBEARER") ? ImapAuthMechanism.OAuthBearer : ImapAuthMechanism.XOAuth2;
    }
}
