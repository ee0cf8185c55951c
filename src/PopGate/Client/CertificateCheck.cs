using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace PopGate.Client;

/// <summary>
/// Decides whether to trust the server's certificate and remembers why it did not, so a failed handshake can say
/// more than "the remote certificate is invalid".
/// </summary>
internal sealed class CertificateCheck
{
    private readonly TlsSettings _settings;
    private readonly string _targetHost;
    private readonly string? _pin;

    public CertificateCheck(TlsSettings settings, string targetHost)
    {
        _settings = settings;
        _targetHost = targetHost;
        _pin = CertificateFingerprint.Normalize(settings.PinnedSha256);
        if (settings.PinnedSha256 is not null && _pin is null)
        {
            throw new ArgumentException($"'{settings.PinnedSha256}' is not a SHA-256 fingerprint (64 hex digits)", nameof(settings));
        }
    }

    public string? Failure { get; private set; }

    public SslPolicyErrors Errors { get; private set; }

    public string? Fingerprint { get; private set; }

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        Errors = errors;
        if (certificate is null)
        {
            Failure = "the server sent no certificate";
            return false;
        }

        Fingerprint = CertificateFingerprint.Sha256(certificate);
        if (_pin is not null)
        {
            if (string.Equals(Fingerprint, _pin, StringComparison.Ordinal))
            {
                return true;
            }

            Failure = $"the certificate's SHA-256 fingerprint {CertificateFingerprint.Format(Fingerprint)} does not match the pinned {CertificateFingerprint.Format(_pin)}";
            return false;
        }

        if (_settings.Insecure || errors == SslPolicyErrors.None)
        {
            return true;
        }

        Failure = $"the certificate of '{_targetHost}' is not trusted: {Describe(errors, chain)} "
            + $"(SHA-256 {CertificateFingerprint.Format(Fingerprint)}; pin it with a fingerprint if you trust it)";
        return false;
    }

    private static string Describe(SslPolicyErrors errors, X509Chain? chain)
    {
        var reasons = new List<string>();
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            reasons.Add("it was issued for another name");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            var statuses = chain?.ChainStatus
                .Where(s => s.Status != X509ChainStatusFlags.NoError)
                .Select(s => s.Status == X509ChainStatusFlags.UntrustedRoot ? "self-signed or unknown issuer" : s.StatusInformation.Trim())
                .Distinct()
                .ToList() ?? [];
            reasons.Add(statuses.Count > 0 ? string.Join("; ", statuses) : "its chain does not lead to a trusted root");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            reasons.Add("no certificate was offered");
        }

        return string.Join(", ", reasons);
    }
}
