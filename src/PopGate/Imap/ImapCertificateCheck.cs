using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace PopGate.Imap;

/// <summary>The certificate policy of <see cref="ImapConnectionOptions"/>: the system's checks, a pinned fingerprint, or none.</summary>
public static class ImapCertificateCheck
{
    public static RemoteCertificateValidationCallback For(ImapConnectionOptions options)
    {
        if (options.Insecure)
        {
            return static (_, _, _, _) => true;
        }

        if (!string.IsNullOrWhiteSpace(options.Fingerprint))
        {
            var pinned = Client.CertificateFingerprint.Normalize(options.Fingerprint);
            if (pinned is null)
            {
                throw new ArgumentException("a SHA-256 fingerprint has 64 hex digits", nameof(options));
            }

            return (_, certificate, _, _) => certificate is not null && Sha256(certificate) == pinned;
        }

        return static (_, _, _, errors) => errors == SslPolicyErrors.None;
    }

    public static string Sha256(X509Certificate certificate) => Client.CertificateFingerprint.Sha256(certificate);
}
