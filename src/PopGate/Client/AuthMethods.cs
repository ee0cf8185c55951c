namespace PopGate.Client;

/// <summary>The names of the ways to log in, as <see cref="Pop3Credentials.Mechanism"/> and the CLI's --auth take them.</summary>
public static class AuthMethods
{
    public const string User = "USER";
    public const string Apop = "APOP";
    public const string Plain = "PLAIN";
    public const string Login = "LOGIN";
    public const string CramMd5 = "CRAM-MD5";
    public const string ScramSha256 = "SCRAM-SHA-256";
    public const string XOAuth2 = "XOAUTH2";
    public const string OAuthBearer = "OAUTHBEARER";

    public static IReadOnlyList<string> All { get; } = [ScramSha256, Plain, User, CramMd5, Apop, Login, OAuthBearer, XOAuth2];

    public static bool IsOAuth(string? method) => method is XOAuth2 or OAuthBearer;
}
