using PopGate.Client;

namespace PopGate.Tests.Client;

/// <summary>
/// Implicit TLS and STLS against a loopback server with a self-signed certificate: refused by default, accepted
/// when its fingerprint is pinned or validation is switched off, and STLS drops what the server sent before the
/// handshake and asks CAPA again.
/// </summary>
public sealed class TlsTests
{
    private static Pop3ClientOptions Pinned(string fingerprint) => new() { Tls = new TlsSettings { PinnedSha256 = fingerprint } };

    [Fact]
    public async Task Stls_drops_bytes_sent_before_the_handshake_and_asks_capa_again()
    {
        await using var server = new LoopbackTlsServer(implicitTls: false);
        var pin = string.Join(':', server.Fingerprint.Chunk(2).Select(c => new string(c)).Select(s => s.ToLowerInvariant()));
        await using (var client = new Pop3Client(Pinned(pin)))
        {
            await client.ConnectAsync(new ConnectionSpec("127.0.0.1", server.Port, ConnectionSecurity.StartTls, sniHost: "localhost"));
            Assert.NotNull(client.Tls);
            Assert.Equal(server.Fingerprint, client.Tls!.Sha256Fingerprint);
            Assert.Equal("CN=localhost", client.Tls.Subject);
            Assert.True(client.Tls.Protocol >= System.Security.Authentication.SslProtocols.Tls12);
            Assert.True(client.Capabilities.Pipelining, "CAPA must be asked again over TLS");
            await client.NoopAsync();
            await client.QuitAsync();
        }

        Assert.Equal(["CAPA", "STLS", "CAPA", "NOOP", "QUIT"], server.Received);
    }

    [Fact]
    public async Task Implicit_tls_with_a_pinned_fingerprint_is_accepted()
    {
        await using var server = new LoopbackTlsServer(implicitTls: true);
        await using var client = new Pop3Client(Pinned(server.Fingerprint));
        await client.ConnectAsync(ConnectionSpec.Parse($"ssl:127.0.0.1!localhost:{server.Port}"));
        Assert.Equal("secure from the start", client.Greeting!.Text);
        Assert.True(client.Tls!.AcceptedDespiteErrors);
        await client.QuitAsync();
    }

    [Fact]
    public async Task A_self_signed_certificate_is_refused_by_default_with_its_fingerprint_in_the_reason()
    {
        await using var server = new LoopbackTlsServer(implicitTls: true);
        await using var client = new Pop3Client();
        var error = await Assert.ThrowsAsync<Pop3TlsException>(() => client.ConnectAsync(new ConnectionSpec("127.0.0.1", server.Port, ConnectionSecurity.Tls, sniHost: "localhost")));
        Assert.Contains("not trusted", error.Message, StringComparison.Ordinal);
        Assert.Contains(CertificateFingerprint.Format(server.Fingerprint), error.Message, StringComparison.Ordinal);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task A_wrong_pin_is_refused_even_though_insecure_is_set()
    {
        await using var server = new LoopbackTlsServer(implicitTls: false);
        var options = new Pop3ClientOptions { Tls = new TlsSettings { Insecure = true, PinnedSha256 = new string('0', 64) } };
        await using var client = new Pop3Client(options);
        var error = await Assert.ThrowsAsync<Pop3TlsException>(() => client.ConnectAsync(new ConnectionSpec("127.0.0.1", server.Port, ConnectionSecurity.StartTls)));
        Assert.Contains("does not match the pinned", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Insecure_accepts_a_certificate_for_another_name()
    {
        await using var server = new LoopbackTlsServer(implicitTls: true);
        await using var client = new Pop3Client(new Pop3ClientOptions { Tls = new TlsSettings { Insecure = true } });
        await client.ConnectAsync(new ConnectionSpec("127.0.0.1", server.Port, ConnectionSecurity.Tls, sniHost: "not-the-name.example"));
        Assert.True(client.Tls!.PolicyErrors.HasFlag(System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch));
        await client.QuitAsync();
    }

    [Fact]
    public async Task A_refused_connection_is_a_connection_error_and_an_unknown_host_is_named()
    {
        var port = PopGate.Testing.FreePort.Next();
        await using (var client = new Pop3Client())
        {
            var refused = await Assert.ThrowsAsync<Pop3ConnectionException>(() => client.ConnectAsync("127.0.0.1", port, ConnectionSecurity.None));
            Assert.Contains("refused", refused.Message, StringComparison.Ordinal);
        }

        // Name lookups would leave the machine, so the unknown host is shown through the error the resolver gives.
        var unknown = Pop3Transport.DescribeConnectFailure("no-such-host.invalid", 110, new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound));
        Assert.Equal("cannot resolve host name 'no-such-host.invalid'", unknown);
    }
}
