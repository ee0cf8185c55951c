namespace PopGate.Imap;

/// <summary>Bounds on what the client reads from a server.</summary>
public sealed record ImapLimits
{
    /// <summary>Longest response line (without literals). Long enough for a SEARCH answer of many thousand UIDs.</summary>
    public int MaxLineLength { get; init; } = 1024 * 1024;

    /// <summary>Longest atom or quoted string.</summary>
    public int MaxTokenLength { get; init; } = 64 * 1024;

    /// <summary>Largest literal accepted at all (a message streamed through, or one skipped).</summary>
    public long MaxLiteralSize { get; init; } = 1L << 31;

    /// <summary>Largest literal kept in memory (small sections, mailbox names); larger ones must go to a sink.</summary>
    public int MaxKeptLiteral { get; init; } = 64 * 1024;

    /// <summary>Longest wait for the server to send anything, or to take our data, while a command runs.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);
}
