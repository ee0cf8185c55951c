using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PopGate.Client;

/// <summary>SHA-256 certificate fingerprints: computing, normalising and showing them.</summary>
public static class CertificateFingerprint
{
    /// <summary>The SHA-256 of the certificate's DER bytes, as 64 upper-case hex digits.</summary>
    public static string Sha256(X509Certificate certificate) =>
        Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData()));

    /// <summary>
    /// Reduces a fingerprint as users write it ("sha256:ab:cd:...", "AB CD ...", "abcd...") to 64 upper-case hex
    /// digits; returns null when it is not a SHA-256 fingerprint.
    /// </summary>
    public static string? Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var value = text.Trim();
        foreach (var prefix in new[] { "sha256:", "sha256/", "sha256=", "sha-256:" })
        {
            if (value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                value = value[prefix.Length..];
                break;
            }
        }

        Span<char> hex = stackalloc char[64];
        var n = 0;
        foreach (var c in value)
        {
            if (c is ':' or ' ' or '-')
            {
                continue;
            }

            if (!char.IsAsciiHexDigit(c) || n == hex.Length)
            {
                return null;
            }

            hex[n++] = char.ToUpperInvariant(c);
        }

        return n == hex.Length ? new string(hex) : null;
    }

    /// <summary>Shows 64 hex digits as colon-separated pairs, the way openssl prints them.</summary>
    public static string Format(string hex) =>
        string.Join(':', Enumerable.Range(0, hex.Length / 2).Select(i => hex.Substring(i * 2, 2)));
}
