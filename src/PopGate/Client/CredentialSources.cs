namespace PopGate.Client;

/// <summary>Where <see cref="CredentialResolver"/> looks for the user name and the secret.</summary>
public sealed record CredentialSources
{
    /// <summary>A user name that wins over the spec's and the netrc's.</summary>
    public string? User { get; init; }

    /// <summary>The secret itself (tests, embedding programs).</summary>
    public string? Password { get; init; }

    /// <summary>An environment variable holding the secret.</summary>
    public string? PasswordEnv { get; init; }

    /// <summary>A shell command printing the secret on its first line (run as /bin/sh -c, like mpop's passwordeval).</summary>
    public string? PasswordCommand { get; init; }

    /// <summary>The netrc file to read; null means <see cref="NetrcFile.DefaultPath"/>.</summary>
    public string? NetrcPath { get; init; }

    /// <summary>Read a netrc file at all.</summary>
    public bool UseNetrc { get; init; } = true;

    /// <summary>The login method to force (see <see cref="AuthMethods"/>); for XOAUTH2 and OAUTHBEARER the secret is the token.</summary>
    public string? Mechanism { get; init; }

    /// <summary>How long a password command may run.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
