namespace PopGate.Fetch;

/// <summary>A run cannot go on as asked (no UIDL with --keep, an unusable state store); one line for the user.</summary>
public sealed class FetchException : Exception
{
    public FetchException()
    {
    }

    public FetchException(string message)
        : base(message)
    {
    }

    public FetchException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
