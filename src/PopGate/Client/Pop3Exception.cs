namespace PopGate.Client;

/// <summary>The base of every error a <see cref="Pop3Client"/> raises, so callers can catch them all at once.</summary>
public abstract class Pop3Exception : Exception
{
    protected Pop3Exception(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
