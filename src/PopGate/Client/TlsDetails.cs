using System.Net.Security;
using System.Security.Authentication;

namespace PopGate.Client;

/// <summary>What was negotiated on a TLS connection and which certificate the server showed.</summary>
public sealed record TlsDetails(
    SslProtocols Protocol,
    TlsCipherSuite CipherSuite,
    string TargetHost,
    string Subject,
    string Issuer,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    string Sha256Fingerprint,
    SslPolicyErrors PolicyErrors)
{
    /// <summary>True when the certificate was accepted without the usual checks (pinned or insecure).</summary>
    public bool AcceptedDespiteErrors => PolicyErrors != SslPolicyErrors.None;
}
