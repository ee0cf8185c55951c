namespace PopGate.Protocol;

/// <summary>Sizes fixed by the POP3 specifications.</summary>
public static class Pop3Limits
{
    /// <summary>RFC 2449: a command line is at most 255 octets, CRLF included.</summary>
    public const int MaxCommandLine = 255;

    /// <summary>RFC 2449: a response line is at most 512 octets, CRLF included.</summary>
    public const int MaxResponseLine = 512;

    /// <summary>RFC 1939: a unique-id is 1 to 70 characters in the range 0x21 to 0x7E.</summary>
    public const int MaxUidLength = 70;

    /// <summary>True when the string may be sent as a UIDL.</summary>
    public static bool IsValidUid(ReadOnlySpan<char> uid)
    {
        if (uid.Length is < 1 or > MaxUidLength)
        {
            return false;
        }

        foreach (var c in uid)
        {
            if (c is < '!' or > '~')
            {
                return false;
            }
        }

        return true;
    }
}
