namespace PopGate.Imap;

/// <summary>The server answered a command with NO or BAD; the connection is still usable.</summary>
public sealed class ImapCommandException : Exception
{
    public ImapCommandException(string command, ImapStatusResponse response)
        : base($"{command}: {response.Status.ToString().ToUpperInvariant()} {(response.Code is null ? string.Empty : $"[{response.Code}] ")}{response.Text}")
    {
        Command = command;
        Response = response;
    }

    public ImapCommandException()
        : this("IMAP command failed")
    {
    }

    public ImapCommandException(string message)
        : base(message)
    {
        Command = string.Empty;
        Response = new ImapStatusResponse(null, ImapStatus.No, null, null, message);
    }

    public ImapCommandException(string message, Exception inner)
        : base(message, inner)
    {
        Command = string.Empty;
        Response = new ImapStatusResponse(null, ImapStatus.No, null, null, message);
    }

    /// <summary>The command's name (LOGIN, SELECT, ...).</summary>
    public string Command { get; }

    public ImapStatusResponse Response { get; }

    /// <summary>The response code (AUTHENTICATIONFAILED, UNAVAILABLE, ...) or null.</summary>
    public string? Code => Response.Code;
}
