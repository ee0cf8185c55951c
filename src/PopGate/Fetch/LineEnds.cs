namespace PopGate.Fetch;

/// <summary>How line ends are written at the destination.</summary>
public enum LineEnds
{
    /// <summary>CRLF becomes LF, as Unix mail tools (mpop, fetchmail, procmail, mutt) expect. A lone CR stays.</summary>
    Lf,

    /// <summary>The bytes exactly as the server sent them, after dot-unstuffing (CRLF).</summary>
    Crlf,
}
