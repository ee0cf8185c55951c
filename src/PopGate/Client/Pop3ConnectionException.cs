namespace PopGate.Client;

/// <summary>The connection could not be made (refused, name not found) or was lost; nothing more can be sent on it.</summary>
public sealed class Pop3ConnectionException : Pop3Exception
{
    public Pop3ConnectionException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
