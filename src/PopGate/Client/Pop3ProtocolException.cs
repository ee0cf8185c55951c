namespace PopGate.Client;

/// <summary>
/// The server broke the protocol (a malformed or over-long reply, a reply that does not match its command).
/// The connection is unusable afterwards: every pending command fails with this error.
/// </summary>
public sealed class Pop3ProtocolException : Pop3Exception
{
    public Pop3ProtocolException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
