using PopGate.Testing;

namespace PopGate.Interop.Client;

/// <summary>A private Dovecot with STLS and pop3s (self-signed "localhost" certificate) and every SASL mechanism
/// the client speaks that Dovecot has, started once per test class.</summary>
public class DovecotFixture : IAsyncLifetime
{
    public DovecotServer Dovecot { get; private set; } = null!;

    /// <summary>The SHA-256 fingerprint of Dovecot's certificate, read from the certificate file.</summary>
    public string Fingerprint { get; private set; } = string.Empty;

    protected virtual DovecotOptions Options => new() { Tls = true, AuthMechanisms = "plain login cram-md5 scram-sha-256" };

    public async Task InitializeAsync()
    {
        Dovecot = await DovecotServer.StartAsync(Options);
        if (!Options.Tls)
        {
            await StartedAsync();
            return;
        }

        var pem = await File.ReadAllTextAsync(Path.Combine(Dovecot.BaseDir, "ssl", "cert.pem"));
        using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(pem);
        Fingerprint = PopGate.Client.CertificateFingerprint.Sha256(certificate);
        await StartedAsync();
    }

    /// <summary>Runs once the server is up, to put mail in.</summary>
    protected virtual Task StartedAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Dovecot.DisposeAsync();
}
