using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PopGate.Testing;

/// <summary>Writes a self-signed certificate and its key as PEM files, for peers that need TLS.</summary>
public static class SelfSignedPem
{
    public sealed record Files(string CertificatePath, string KeyPath, string Sha256Fingerprint);

    public static async Task<Files> WriteAsync(string dir, string hostName)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={hostName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(hostName);
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var certPath = Path.Combine(dir, "cert.pem");
        var keyPath = Path.Combine(dir, "key.pem");
        await File.WriteAllTextAsync(certPath, cert.ExportCertificatePem()).ConfigureAwait(false);
        await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem()).ConfigureAwait(false);
        return new Files(certPath, keyPath, Convert.ToHexString(SHA256.HashData(cert.RawData)));
    }
}
