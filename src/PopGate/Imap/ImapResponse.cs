namespace PopGate.Imap;

/// <summary>The status word of a status response.</summary>
public enum ImapStatus
{
    Ok,
    No,
    Bad,
    Bye,
    PreAuth,
}

/// <summary>One complete server response.</summary>
public abstract record ImapResponse;

/// <summary>OK, NO, BAD, BYE or PREAUTH, tagged (completing a command) or untagged (Tag null).</summary>
/// <param name="Code">The response code's name in upper case (UIDVALIDITY, CAPABILITY, ...), or null.</param>
/// <param name="CodeArguments">What follows the code's name inside the brackets, or null.</param>
public sealed record ImapStatusResponse(string? Tag, ImapStatus Status, string? Code, string? CodeArguments, string Text) : ImapResponse
{
    public override string ToString() =>
        $"{Tag ?? "*"} {Status.ToString().ToUpperInvariant()}{(Code is null ? string.Empty : $" [{Code}{(CodeArguments is null ? string.Empty : " " + CodeArguments)}]")} {Text}";
}

/// <summary>"+ text": the server waits for the rest of a command.</summary>
public sealed record ImapContinuation(string Text) : ImapResponse
{
    public override string ToString() => "+ " + Text;
}

/// <summary>"* n EXISTS", "* n RECENT", "* n EXPUNGE".</summary>
public sealed record ImapNumberedResponse(long Number, string Name) : ImapResponse
{
    public override string ToString() => $"* {Number} {Name}";
}

/// <summary>"* n FETCH (...)".</summary>
public sealed record ImapFetchResponse(FetchData Data) : ImapResponse
{
    public override string ToString() => Data.ToString();
}

/// <summary>Any other untagged data ("* CAPABILITY ...", "* FLAGS ...", "* SEARCH ..."); <see cref="Text"/> is the
/// raw rest of the line for the names the client reads, empty for names it skips.</summary>
public sealed record ImapDataResponse(string Name, string Text) : ImapResponse
{
    public override string ToString() => $"* {Name} {Text}";
}
