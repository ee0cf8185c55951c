using PopGate.Client;

namespace PopGate.Configuration;

/// <summary>
/// One account of `popgate fetch` as written on the command line or in a --config file, before credentials are
/// looked up. <see cref="Problem"/> checks it the same way for both.
/// </summary>
public sealed record FetchAccountSettings
{
    public required string Name { get; init; }

    /// <summary>The server spec: [ssl:|starttls:|tcp:][user@]host[!sni_host][:port].</summary>
    public required string Server { get; init; }

    public string? Maildir { get; init; }

    public string? Mbox { get; init; }

    public string? Mda { get; init; }

    public string? State { get; init; }

    public bool Keep { get; init; }

    public long? MaxSize { get; init; }

    public int? Limit { get; init; }

    /// <summary>Keep CRLF line ends instead of converting them to LF.</summary>
    public bool Crlf { get; init; }

    public string? PasswordEnv { get; init; }

    public string? PasswordCommand { get; init; }

    public string? NetrcFile { get; init; }

    public bool Insecure { get; init; }

    public string? Fingerprint { get; init; }

    public string? Auth { get; init; }

    public double TimeoutSeconds { get; init; } = 60;

    /// <summary>Send CAPA without waiting for the greeting.</summary>
    public bool EarlyCapa { get; init; } = true;

    /// <summary>The first thing wrong, as (setting name, problem), or null when the settings can be used.</summary>
    public (string Setting, string Problem)? Problem()
    {
        if (!ConnectionSpec.TryParse(Server, out _, out var specError))
        {
            return ("Server", specError);
        }

        var destinations = new[] { Maildir, Mbox, Mda }.Count(d => !string.IsNullOrEmpty(d));
        if (destinations != 1)
        {
            return ("Maildir", destinations == 0
                ? "a destination is required: a Maildir, an mbox file or an MDA command"
                : "give only one destination: a Maildir, an mbox file or an MDA command");
        }

        if (Fingerprint is not null && CertificateFingerprint.Normalize(Fingerprint) is null)
        {
            return ("Fingerprint", $"'{Fingerprint}' is not a SHA-256 fingerprint (64 hex digits, colons allowed)");
        }

        if (Auth is not null && !AuthMethods.All.Contains(Auth.ToUpperInvariant()))
        {
            return ("Auth", $"'{Auth}' is not one of {string.Join(", ", AuthMethods.All)}");
        }

        if (!(TimeoutSeconds > 0) || TimeoutSeconds > 86_400)
        {
            return ("TimeoutSeconds", "takes a number of seconds between 0 and 86400");
        }

        if (MaxSize is < 1)
        {
            return ("MaxSize", "takes a size in octets, at least 1");
        }

        if (Limit is < 1)
        {
            return ("Limit", "takes a number of messages, at least 1");
        }

        return null;
    }
}
