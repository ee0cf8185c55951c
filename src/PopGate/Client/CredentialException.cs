namespace PopGate.Client;

/// <summary>No usable user name or password could be found, or a password command failed.</summary>
public sealed class CredentialException : Exception
{
    public CredentialException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
