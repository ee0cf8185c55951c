using System.CommandLine;
using PopGate.Client;

namespace PopGate.Cli.Commands;

/// <summary>What info, ls, get and rm need to reach a server.</summary>
internal sealed record ClientSettings(ConnectionSpec Spec, Pop3ClientOptions Options, CredentialSources Credentials);

/// <summary>The server argument and the options every client command shares.</summary>
internal sealed class ClientCommandOptions
{
    public Argument<string> Spec { get; } = new("server")
    {
        Description = "[ssl:|starttls:|tcp:][user@]host[!sni_host][:port]; ssl (port 995) when no prefix, starttls and tcp on 110",
    };

    public Option<bool> Insecure { get; } = new("--insecure") { Description = "accept any TLS certificate (for tests; open to interception)" };

    public Option<string?> Fingerprint { get; } = new("--fingerprint")
    {
        Description = "accept only the server certificate with this SHA-256 fingerprint, even if self-signed",
    };

    public Option<string?> PasswordEnv { get; } = new("--password-env") { Description = "take the password (or OAuth token) from this environment variable" };

    public Option<string?> PasswordCommand { get; } = new("--password-command")
    {
        Description = "run this shell command and take the password (or OAuth token) from the first line it prints",
    };

    public Option<string?> Auth { get; } = new("--auth")
    {
        Description = $"login method instead of the best offered: {string.Join(", ", AuthMethods.All)}",
    };

    public Option<double> Timeout { get; } = new("--timeout")
    {
        Description = "seconds to wait for the connection and for each reply",
        DefaultValueFactory = _ => 60,
    };

    public Option<string?> Netrc { get; } = new("--netrc-file") { Description = "credentials file instead of ~/.netrc" };

    public Option<bool> Transcript { get; } = new("--transcript") { Description = "print the protocol dialogue on standard error (passwords masked)" };

    public void AddTo(Command command)
    {
        command.Arguments.Add(Spec);
        foreach (var option in new Option[] { Insecure, Fingerprint, PasswordEnv, PasswordCommand, Auth, Timeout, Netrc, Transcript })
        {
            command.Options.Add(option);
        }
    }

    public ClientSettings Read(ParseResult result)
    {
        var spec = ConnectionSpec.Parse(result.GetValue(Spec)!);
        var fingerprint = result.GetValue(Fingerprint);
        if (fingerprint is not null && CertificateFingerprint.Normalize(fingerprint) is null)
        {
            throw new UsageException($"--fingerprint '{fingerprint}' is not a SHA-256 fingerprint (64 hex digits, colons allowed)");
        }

        var auth = result.GetValue(Auth)?.ToUpperInvariant();
        if (auth is not null && !AuthMethods.All.Contains(auth))
        {
            throw new UsageException($"--auth {auth}: use one of {string.Join(", ", AuthMethods.All)}");
        }

        var seconds = result.GetValue(Timeout);
        if (!(seconds > 0) || seconds > 86_400)
        {
            throw new UsageException("--timeout takes a number of seconds between 0 and 86400");
        }

        var timeout = TimeSpan.FromSeconds(seconds);
        var options = new Pop3ClientOptions
        {
            ConnectTimeout = timeout,
            CommandTimeout = timeout,
            IdleTimeout = timeout,
            Tls = new TlsSettings { Insecure = result.GetValue(Insecure), PinnedSha256 = fingerprint },
            // Asking for tcp: is asking for no TLS: the password then goes as the server accepts it.
            AllowCleartextPasswords = spec.Security == ConnectionSecurity.None,
            Transcript = result.GetValue(Transcript) ? new TextTranscript(Console.Error) : null,
        };
        var credentials = new CredentialSources
        {
            PasswordEnv = result.GetValue(PasswordEnv),
            PasswordCommand = result.GetValue(PasswordCommand),
            NetrcPath = result.GetValue(Netrc),
            Mechanism = auth,
            CommandTimeout = timeout,
        };
        return new ClientSettings(spec, options, credentials);
    }
}
