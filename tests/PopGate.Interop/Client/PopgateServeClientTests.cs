using PopGate.Client;
using PopGate.Interop.Server;
using PopGate.Testing;

namespace PopGate.Interop.Client;

/// <summary>
/// The client against this project's own server (`popgate serve` as a process): implicit TLS and STLS with the
/// certificate pinned, automatic login, every corpus message fetched in one pipelined run and compared byte for
/// byte, and DELE taking effect at QUIT.
/// </summary>
public sealed class PopgateServeClientTests : IClassFixture<ServeFixture>
{
    private readonly ServeFixture _fixture;

    public PopgateServeClientTests(ServeFixture fixture)
    {
        _fixture = fixture;
    }

    private Pop3ClientOptions Pinned => new() { Tls = new TlsSettings { PinnedSha256 = _fixture.Server.Certificate.Sha256Fingerprint } };

    [Fact]
    public async Task Pipelined_download_over_implicit_tls_is_byte_exact_and_dele_applies_at_quit()
    {
        var messages = ServeFixture.Messages;
        var user = await _fixture.Server.AddMaildirUserAsync(messages);
        var spec = new ConnectionSpec("127.0.0.1", _fixture.Server.TlsPort, ConnectionSecurity.Tls, user.Name, "localhost");
        var credentials = new Pop3Credentials(user.Name) { Password = user.Password };
        await using (var client = new Pop3Client(Pinned))
        {
            await client.ConnectAsync(spec);
            var login = client.AuthenticateAsync(credentials);
            var sizes = client.ListAsync();
            await login;
            var list = await sizes;
            Assert.Equal(messages.Count, list.Count);
            Assert.True(client.IsPipelining);
            var bodies = list.Select(m => client.RetrAsync(m.Number, async (body, ct) =>
            {
                var copy = new MemoryStream();
                await body.CopyToAsync(copy, ct);
                return copy.ToArray();
            })).ToList();
            var received = await Task.WhenAll(bodies);
            for (var i = 0; i < messages.Count; i++)
            {
                Assert.True(TestCorpus.ToWire(messages[i]).AsSpan().SequenceEqual(received[i]), $"message {i + 1} ({ServeFixture.Files[i]}) differs");
                Assert.Equal(received[i].Length, list[i].Size);
            }

            await Task.WhenAll(client.DeleAsync(1), client.DeleAsync(2));
            await client.QuitAsync();
        }

        Assert.Equal(messages.Count - 2, user.MaildirCount());
    }

    [Fact]
    public async Task Stls_with_the_certificate_pinned_and_each_sasl_mechanism_the_server_offers()
    {
        var user = await _fixture.Server.AddMaildirUserAsync(ServeFixture.Messages.Take(3));
        var spec = new ConnectionSpec("127.0.0.1", _fixture.Server.Port, ConnectionSecurity.StartTls, user.Name, "localhost");
        await using var probe = new Pop3Client(Pinned);
        await probe.ConnectAsync(spec);
        var mechanisms = probe.Capabilities.SaslMechanisms;
        await probe.QuitAsync();
        Assert.Contains("PLAIN", mechanisms);
        foreach (var mechanism in mechanisms.Where(m => m is "PLAIN" or "LOGIN" or "SCRAM-SHA-256" or "CRAM-MD5").Append("USER"))
        {
            await using var client = new Pop3Client(Pinned);
            await client.ConnectAsync(spec);
            Assert.NotNull(client.Tls);
            await client.AuthenticateAsync(new Pop3Credentials(user.Name) { Password = user.Password, Mechanism = mechanism });
            Assert.Equal(3, (await client.StatAsync()).Count);
            await client.QuitAsync();
        }
    }
}
