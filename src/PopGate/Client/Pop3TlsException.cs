namespace PopGate.Client;

/// <summary>
/// TLS could not be set up: the handshake failed, the certificate was not trusted or did not match the pinned
/// fingerprint, or the server offered no STLS. <see cref="Exception.Message"/> says why.
/// </summary>
public sealed class Pop3TlsException : Pop3Exception
{
    public Pop3TlsException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
