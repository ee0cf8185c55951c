namespace PopGate.Imap;

/// <summary>The connection is unusable: it failed, timed out, was closed (BYE), or the server broke the protocol.</summary>
public sealed class ImapProtocolException : Exception
{
    public ImapProtocolException()
        : this("IMAP connection failed")
    {
    }

    public ImapProtocolException(string message)
        : base(message)
    {
    }

    public ImapProtocolException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
