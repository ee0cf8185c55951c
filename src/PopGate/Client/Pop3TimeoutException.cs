namespace PopGate.Client;

/// <summary>A connect, a reply or a stalled transfer took longer than its configured limit; the connection is closed.</summary>
public sealed class Pop3TimeoutException : Pop3Exception
{
    public Pop3TimeoutException(string message, TimeSpan limit, Exception? inner = null)
        : base(message, inner)
    {
        Limit = limit;
    }

    /// <summary>The limit that was exceeded.</summary>
    public TimeSpan Limit { get; }
}
