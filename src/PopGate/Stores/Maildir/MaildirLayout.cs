namespace PopGate.Stores.Maildir;

/// <summary>Names that make up a Maildir as this project uses it.</summary>
internal static class MaildirLayout
{
    public static readonly string[] SubFolders = ["tmp", "new", "cur"];

    /// <summary>Locked while a POP3 session holds the maildrop.</summary>
    public const string LockFileName = "popgate.lock";

    /// <summary>Cached wire sizes, so that a login does not read every message.</summary>
    public const string SizeCacheFileName = "popgate-sizes";

    /// <summary>The unique part of a Maildir file name: everything before the ':' that starts the flags.</summary>
    public static string BaseName(string fileName)
    {
        var colon = fileName.IndexOf(':', StringComparison.Ordinal);
        // Some tools on file systems that forbid ':' use '!' or ';' instead.
        if (colon < 0)
        {
            colon = fileName.IndexOf(";2,", StringComparison.Ordinal);
        }

        if (colon < 0)
        {
            colon = fileName.IndexOf("!2,", StringComparison.Ordinal);
        }

        return colon < 0 ? fileName : fileName[..colon];
    }
}
