namespace PopGate.Sasl;

/// <summary>The server's side of a SASL exchange was malformed or failed verification.</summary>
public sealed class SaslException : Exception
{
    public SaslException(string message)
        : base(message)
    {
    }
}
