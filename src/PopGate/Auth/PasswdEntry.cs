namespace PopGate.Auth;

/// <summary>One user of a users file (Dovecot passwd-file format).</summary>
/// <param name="User">The login name, as written (UTF-8, compared ordinally).</param>
/// <param name="Scheme">The password scheme in upper case, e.g. "PBKDF2-SHA256", "SHA512-CRYPT", "PLAIN", "SHA256.HEX";
/// empty when the line has no password (such a user can never log in).</param>
/// <param name="Hash">The stored password after the {SCHEME} prefix.</param>
/// <param name="Extra">The extra fields (key=value, space separated), e.g. "mail", "userdb_mail", "apop".</param>
/// <param name="Home">The home folder field, or null when empty.</param>
/// <param name="LineNumber">Where the user is in the file (1-based), for messages.</param>
public sealed record PasswdEntry(
    string User,
    string Scheme,
    string Hash,
    IReadOnlyDictionary<string, string> Extra,
    string? Home,
    int LineNumber)
{
    /// <summary>Never prints the hash, so an entry can be logged safely.</summary>
    public override string ToString() => $"{User} ({(Scheme.Length == 0 ? "no password" : Scheme)}, line {LineNumber})";
}
