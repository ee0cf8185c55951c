namespace PopGate.Client;

/// <summary>
/// The server answered a command with -ERR. The connection stays usable: only this command failed.
/// </summary>
public sealed class Pop3CommandException : Pop3Exception
{
    public Pop3CommandException(string command, string? responseCode, string serverText)
        : base(Describe(command, responseCode, serverText))
    {
        Command = command;
        ResponseCode = responseCode;
        ServerText = serverText;
    }

    /// <summary>The verb of the command that failed (USER, PASS, RETR, ...).</summary>
    public string Command { get; }

    /// <summary>The RFC 2449 / RFC 3206 code between brackets (IN-USE, LOGIN-DELAY, AUTH, SYS/TEMP, SYS/PERM), or null.</summary>
    public string? ResponseCode { get; }

    /// <summary>The server's text after -ERR, response code included.</summary>
    public string ServerText { get; }

    /// <summary>True for codes that say trying again later may work (IN-USE, LOGIN-DELAY, SYS/TEMP).</summary>
    public bool IsTemporary => ResponseCode is "IN-USE" or "LOGIN-DELAY" or "SYS/TEMP";

    private static string Describe(string command, string? code, string text)
    {
        var detail = text.Length == 0 ? "(no text)" : text;
        return code is null
            ? $"the server refused {command}: {detail}"
            : $"the server refused {command} [{code}]: {detail}";
    }
}
