using PopGate.Client;

namespace PopGate.Cli.Commands;

/// <summary>Opens a connection for a client command, logged in when asked.</summary>
internal static class ClientSession
{
    public static async Task<Pop3Client> OpenAsync(ClientSettings settings, bool login, CancellationToken cancellationToken)
    {
        // Credentials first: a missing password should not cost a connection.
        var credentials = login
            ? await CredentialResolver.ResolveAsync(settings.Spec, settings.Credentials, cancellationToken).ConfigureAwait(false)
            : null;
        var client = new Pop3Client(settings.Options);
        try
        {
            await client.ConnectAsync(settings.Spec, cancellationToken).ConfigureAwait(false);
            if (credentials is not null)
            {
                await client.AuthenticateAsync(credentials, cancellationToken).ConfigureAwait(false);
            }

            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
