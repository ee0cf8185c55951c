namespace PopGate.Protocol;

/// <summary>The extended response codes of RFC 2449 and RFC 3206, as they appear between brackets.</summary>
public static class ResponseCodes
{
    /// <summary>The maildrop is locked by another session.</summary>
    public const string InUse = "IN-USE";

    /// <summary>The user logged in sooner than the LOGIN-DELAY allows.</summary>
    public const string LoginDelay = "LOGIN-DELAY";

    /// <summary>A temporary system problem: trying again later may work.</summary>
    public const string SysTemp = "SYS/TEMP";

    /// <summary>A permanent system problem: trying again will not help.</summary>
    public const string SysPerm = "SYS/PERM";

    /// <summary>The credentials were refused.</summary>
    public const string Auth = "AUTH";

    /// <summary>Reads the code of a "-ERR [CODE] text" line, or null when it has none.</summary>
    public static string? Parse(ReadOnlySpan<char> text)
    {
        text = text.TrimStart();
        if (text.Length < 3 || text[0] != '[')
        {
            return null;
        }

        var close = text.IndexOf(']');
        return close > 1 ? text[1..close].ToString() : null;
    }
}
