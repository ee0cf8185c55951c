namespace PopGate.Client;

/// <summary>The server's greeting line and, when it offers APOP, the timestamp APOP digests.</summary>
public sealed record Pop3Greeting(string Text)
{
    /// <summary>The "&lt;...@...&gt;" msg-id of RFC 1939 section 7, brackets included, or null.</summary>
    public string? ApopTimestamp { get; } = FindTimestamp(Text);

    private static string? FindTimestamp(string text)
    {
        var start = text.IndexOf('<');
        while (start >= 0)
        {
            var end = text.IndexOf('>', start + 1);
            if (end < 0)
            {
                return null;
            }

            var candidate = text[start..(end + 1)];
            if (candidate.Contains('@', StringComparison.Ordinal) && candidate.IndexOf('<', 1) < 0)
            {
                return candidate;
            }

            start = text.IndexOf('<', start + 1);
        }

        return null;
    }
}
