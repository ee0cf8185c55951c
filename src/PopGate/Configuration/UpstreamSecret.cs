using PopGate.Client;
using PopGate.Protocol;
using PopGate.Stores;

namespace PopGate.Configuration;

/// <summary>
/// How a store logs in upstream for a mapped account: a user with a password given in the configuration, in an
/// environment variable or printed by a command, or an OAuth2 token printed by a command (run at each login, so a
/// helper can refresh it). Without a user the POP3 login is passed through.
/// </summary>
public sealed record UpstreamSecret(string? User, string? Password, string? PasswordEnv, string? PasswordCommand, string? TokenCommand)
{
    public static readonly string[] Keys = ["User", "Password", "PasswordEnv", "PasswordCommand", "TokenCommand"];

    /// <summary>Reads and checks the keys; at most one source of secret, and a user with any of them.</summary>
    public static UpstreamSecret Read(ConfigSection section)
    {
        var secret = new UpstreamSecret(
            section.GetString("User"),
            section.GetString("Password"),
            section.GetString("PasswordEnv"),
            section.GetString("PasswordCommand"),
            section.GetString("TokenCommand"));
        var sources = new[] { secret.Password, secret.PasswordEnv, secret.PasswordCommand, secret.TokenCommand }.Count(s => s is not null);
        if (sources > 1)
        {
            throw section.Error("Password", "give only one of Password, PasswordEnv, PasswordCommand and TokenCommand");
        }

        if (secret.User is not null && sources == 0)
        {
            throw section.Error("Password", "User needs Password, PasswordEnv, PasswordCommand or TokenCommand (leave User out to pass the POP3 login through)");
        }

        if (secret.User is null && sources > 0)
        {
            throw section.Error("User", "is required with a password or token");
        }

        if (secret.PasswordEnv is not null && Environment.GetEnvironmentVariable(secret.PasswordEnv) is null)
        {
            throw section.Error("PasswordEnv", $"the environment variable {secret.PasswordEnv} is not set");
        }

        return secret;
    }

    public bool IsPassThrough => User is null;

    public bool IsToken => TokenCommand is not null;

    /// <summary>The password for stores that take it once, at start; a failing command is a configuration error.</summary>
    public string ResolveAtStart(ConfigSection section)
    {
        try
        {
            return ResolveAsync(new MaildropRequest(User!), CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
        catch (MaildropException e)
        {
            throw section.Error(PasswordCommand is not null ? "PasswordCommand" : "PasswordEnv", e.Message);
        }
    }

    /// <summary>The password (or token) to use now: from the configuration, the environment, or a command.</summary>
    public async ValueTask<string> ResolveAsync(MaildropRequest request, CancellationToken cancellationToken)
    {
        if (IsPassThrough)
        {
            return request.Password ?? throw new MaildropException(ResponseCodes.Auth, "this account needs a password given in clear (USER/PASS or AUTH PLAIN)");
        }

        if (Password is not null)
        {
            return Password;
        }

        if (PasswordEnv is not null)
        {
            return Environment.GetEnvironmentVariable(PasswordEnv) ?? throw new MaildropException(ResponseCodes.SysPerm, $"{PasswordEnv} is not set");
        }

        try
        {
            return await SecretCommand.RunAsync(PasswordCommand ?? TokenCommand!, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        }
        catch (CredentialException e)
        {
            throw new MaildropException(ResponseCodes.SysTemp, e.Message, e);
        }
    }
}
