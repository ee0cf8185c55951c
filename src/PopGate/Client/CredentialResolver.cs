namespace PopGate.Client;

/// <summary>
/// Finds the credentials for a spec. The user: <see cref="CredentialSources.User"/>, else the spec's, else the
/// netrc entry's login. The secret, first found wins: the given password, the password command, the environment
/// variable, then the netrc entry whose machine is the whole spec text or else the host (the "default" entry last).
/// </summary>
public static class CredentialResolver
{
    public static async Task<Pop3Credentials> ResolveAsync(ConnectionSpec spec, CredentialSources sources, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(sources);
        var user = sources.User ?? spec.User;
        var secret = sources.Password;

        if (secret is null && sources.PasswordCommand is { } command)
        {
            secret = await SecretCommand.RunAsync(command, sources.CommandTimeout, cancellationToken).ConfigureAwait(false);
        }

        if (secret is null && sources.PasswordEnv is { } variable)
        {
            secret = Environment.GetEnvironmentVariable(variable)
                ?? throw new CredentialException($"the environment variable {variable} is not set");
        }

        if ((secret is null || user is null) && sources.UseNetrc)
        {
            var path = sources.NetrcPath ?? NetrcFile.DefaultPath;
            var netrc = await NetrcFile.LoadAsync(path, cancellationToken).ConfigureAwait(false);
            var machines = spec.Text is null ? new[] { spec.Host } : new[] { spec.Text, spec.Host };
            if (netrc?.Find(machines, user) is { } entry)
            {
                user ??= entry.Login;
                secret ??= entry.Password;
            }
        }

        if (user is null)
        {
            throw new CredentialException($"no user name for {spec.Host}: put one in the spec (user@{spec.Host}) or in ~/.netrc");
        }

        if (secret is null)
        {
            throw new CredentialException(
                $"no password for {user}@{spec.Host}: use --password-env VAR, --password-command CMD or a ~/.netrc entry for machine {spec.Host}");
        }

        var mechanism = sources.Mechanism?.ToUpperInvariant();
        return AuthMethods.IsOAuth(mechanism)
            ? new Pop3Credentials(user) { OAuthToken = secret, Mechanism = mechanism }
            : new Pop3Credentials(user) { Password = secret, Mechanism = mechanism };
    }
}
