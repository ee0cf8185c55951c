namespace PopGate.Stores;

/// <summary>Expands %u, %n and %d in a path template with parts of a user name that cannot climb out of it.</summary>
public static class UserPath
{
    public static string Expand(string template, string user)
    {
        if (!template.Contains('%', StringComparison.Ordinal))
        {
            return template;
        }

        var at = user.LastIndexOf('@');
        var local = at < 0 ? user : user[..at];
        var domain = at < 0 ? string.Empty : user[(at + 1)..];
        return template
            .Replace("%u", Safe(user), StringComparison.Ordinal)
            .Replace("%n", Safe(local), StringComparison.Ordinal)
            .Replace("%d", Safe(domain), StringComparison.Ordinal)
            .Replace("%%", "%", StringComparison.Ordinal);
    }

    private static string Safe(string part)
    {
        if (part is "." or ".." || part.Contains('/', StringComparison.Ordinal) || part.Contains('\\', StringComparison.Ordinal) || part.Contains('\0', StringComparison.Ordinal))
        {
            throw new MaildropException(Protocol.ResponseCodes.SysPerm, "user name cannot be used in a path");
        }

        return part;
    }
}
