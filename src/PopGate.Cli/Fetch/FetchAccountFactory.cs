using PopGate.Client;
using PopGate.Cli.Commands;
using PopGate.Configuration;
using PopGate.Fetch;

namespace PopGate.Cli.Fetch;

/// <summary>Turns checked settings into a runnable account: credentials looked up, client options, destination.</summary>
internal static class FetchAccountFactory
{
    /// <summary>Bytes of RETR replies in flight: enough to fill a long fat link, while only a pipe's worth is read at a time.</summary>
    public const long DefaultWindowBytes = 16L * 1024 * 1024;

    public static async Task<FetchAccount> CreateAsync(FetchAccountSettings settings, bool dryRun, bool transcript, long windowBytes, CancellationToken cancellationToken)
    {
        if (settings.Problem() is { } problem)
        {
            throw new UsageException(problem.Problem);
        }

        var spec = ConnectionSpec.Parse(settings.Server);
        var timeout = TimeSpan.FromSeconds(settings.TimeoutSeconds);
        var credentials = await CredentialResolver.ResolveAsync(spec, new CredentialSources
        {
            PasswordEnv = settings.PasswordEnv,
            PasswordCommand = settings.PasswordCommand,
            NetrcPath = settings.NetrcFile,
            Mechanism = settings.Auth?.ToUpperInvariant(),
            CommandTimeout = timeout,
        }, cancellationToken).ConfigureAwait(false);

        var options = new Pop3ClientOptions
        {
            ConnectTimeout = timeout,
            CommandTimeout = timeout,
            IdleTimeout = timeout,
            Tls = new TlsSettings { Insecure = settings.Insecure, PinnedSha256 = settings.Fingerprint },
            AllowCleartextPasswords = spec.Security == ConnectionSecurity.None,
            Transcript = transcript ? new TextTranscript(Console.Error) : null,
            CapaWithGreeting = settings.EarlyCapa,
            PreferSingleTurnLogin = true,
            MaxBytesInFlight = windowBytes,
        };

        var lineEnds = settings.Crlf ? LineEnds.Crlf : LineEnds.Lf;
        IMessageDelivery delivery = settings switch
        {
            { Mbox: { } mbox } => new MboxDelivery(mbox, lineEnds),
            { Mda: { } mda } => new CommandDelivery(mda, lineEnds),
            _ => new MaildirDelivery(settings.Maildir!, lineEnds),
        };

        var fetchOptions = new FetchOptions
        {
            Keep = settings.Keep,
            DryRun = dryRun,
            MaxSize = settings.MaxSize,
            Limit = settings.Limit,
        };
        return new FetchAccount(settings.Name, spec, credentials, options, delivery, settings.State, fetchOptions);
    }
}
