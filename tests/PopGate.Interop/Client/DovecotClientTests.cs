using System.Text;
using PopGate.Client;
using PopGate.Testing;

namespace PopGate.Interop.Client;

/// <summary>
/// The client against Dovecot's POP3: STLS and implicit TLS with the self-signed certificate pinned, refused when
/// not pinned; every login method Dovecot offers; -ERR codes; UIDL, TOP and RETR against what was put in the
/// Maildir.
/// </summary>
public sealed class DovecotClientTests : IClassFixture<DovecotClientTests.Fixture>
{
    private static readonly byte[][] Messages =
    [
        Encoding.ASCII.GetBytes("From: a@example.com\nSubject: first\n\nline one\n.starts with a dot\n..two dots\n"),
        Encoding.ASCII.GetBytes("From: b@example.com\r\nSubject: second\r\n\r\nbody\r\n.\r\nafter a lone dot\r\nno final newline"),
        File.ReadAllBytes(TestCorpus.NonEmptyMessageFiles()[0]),
    ];

    private readonly Fixture _fixture;

    public DovecotClientTests(Fixture fixture)
    {
        _fixture = fixture;
    }

    /// <summary>Dovecot holding <see cref="Messages"/>; nothing in this class deletes them.</summary>
    public sealed class Fixture : DovecotFixture
    {
        public IReadOnlyList<string> Names { get; private set; } = [];

        protected override async Task StartedAsync() => Names = await Dovecot.AddMessagesAsync(Messages);
    }

    private DovecotServer Dovecot => _fixture.Dovecot;

    private Pop3ClientOptions Pinned => new() { Tls = new TlsSettings { PinnedSha256 = _fixture.Fingerprint } };

    private ConnectionSpec StartTls => new("127.0.0.1", Dovecot.Pop3Port, ConnectionSecurity.StartTls, sniHost: "localhost");

    private Pop3Credentials Credentials(string? method = null) =>
        new(Dovecot.Options.User) { Password = Dovecot.Options.Password, Mechanism = method };

    [Theory]
    [InlineData("PLAIN")]
    [InlineData("LOGIN")]
    [InlineData("CRAM-MD5")]
    [InlineData("SCRAM-SHA-256")]
    [InlineData("USER")]
    public async Task Each_login_method_works_over_stls_with_the_certificate_pinned(string method)
    {
        var log = new StringWriter();
        await using var client = new Pop3Client(Pinned with { Transcript = new TextTranscript(log) });
        await client.ConnectAsync(StartTls);
        Assert.Equal(_fixture.Fingerprint, client.Tls!.Sha256Fingerprint);
        Assert.Contains("CN=localhost", client.Tls.Subject, StringComparison.Ordinal);
        Assert.False(client.Capabilities.Stls, "after STLS the server no longer offers it, so CAPA was asked again");
        Assert.True(client.Capabilities.Pipelining);
        await client.AuthenticateAsync(Credentials(method));
        Assert.True(client.IsAuthenticated);
        Assert.Equal(Messages.Length, (await client.StatAsync()).Count);
        await client.QuitAsync();
        var expectedLine = method == "USER" ? "C: USER testuser" : $"C: AUTH {method}";
        Assert.Contains(expectedLine, log.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Dovecot.Options.Password, log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Automatic_choice_takes_scram_and_the_server_proves_itself()
    {
        await using var client = new Pop3Client(Pinned);
        await client.ConnectAsync(StartTls);
        Assert.Equal("SCRAM-SHA-256", client.ChooseAuthMethod(Credentials()));
        await client.AuthenticateAsync(Credentials());
        Assert.True(client.IsAuthenticated);
        await client.QuitAsync();
    }

    [Fact]
    public async Task Implicit_tls_on_the_pop3s_port_with_the_fingerprint_pinned()
    {
        await using var client = new Pop3Client(Pinned);
        await client.ConnectAsync(ConnectionSpec.Parse($"ssl:testuser@127.0.0.1!localhost:{Dovecot.Pop3sPort}"));
        Assert.StartsWith("Dovecot", client.Greeting!.Text, StringComparison.Ordinal);
        Assert.True(client.Tls!.Protocol >= System.Security.Authentication.SslProtocols.Tls12);
        await client.AuthenticateAsync(Credentials("PLAIN"));
        await client.QuitAsync();
    }

    [Fact]
    public async Task Without_a_pin_the_self_signed_certificate_fails_validation()
    {
        await using (var client = new Pop3Client())
        {
            var error = await Assert.ThrowsAsync<Pop3TlsException>(() => client.ConnectAsync(StartTls));
            Assert.Contains("not trusted", error.Message, StringComparison.Ordinal);
        }

        await using (var client = new Pop3Client())
        {
            await Assert.ThrowsAsync<Pop3TlsException>(() => client.ConnectAsync(new ConnectionSpec("127.0.0.1", Dovecot.Pop3sPort, ConnectionSecurity.Tls, sniHost: "localhost")));
        }
    }

    [Fact]
    public async Task A_wrong_password_is_refused_with_the_auth_code_and_cleartext_needs_consent()
    {
        await using (var client = new Pop3Client(Pinned))
        {
            await client.ConnectAsync(StartTls);
            var error = await Assert.ThrowsAsync<Pop3CommandException>(() => client.AuthenticateAsync(new Pop3Credentials("testuser") { Password = "wrong", Mechanism = "PLAIN" }));
            Assert.Equal("AUTH", error.ResponseCode);
        }

        await using (var client = new Pop3Client())
        {
            await client.ConnectAsync("127.0.0.1", Dovecot.Pop3Port, ConnectionSecurity.None);
            Assert.Null(client.Tls);
            // SCRAM never sends the password, so it is allowed without TLS; PLAIN is not chosen silently.
            Assert.Equal("SCRAM-SHA-256", client.ChooseAuthMethod(Credentials()));
        }
    }

    [Fact]
    public async Task Uidl_top_and_retr_return_what_the_maildir_holds()
    {
        await using var client = new Pop3Client(Pinned);
        await client.ConnectAsync(StartTls);
        var login = client.AuthenticateAsync(Credentials("USER"));
        var uids = client.UidlAsync();
        var sizes = client.ListAsync();
        await login;
        Assert.Equal(_fixture.Names, (await uids).Select(u => u.Uid));
        var list = await sizes;
        for (var i = 0; i < Messages.Length; i++)
        {
            var wire = TestCorpus.ToWire(Messages[i]);
            // Dovecot's LIST leaves out the CRLF it adds to a message without a final line end; RETR sends it.
            var unterminated = Messages[i][^1] != (byte)'\n';
            Assert.Equal(wire.Length - (unterminated ? 2 : 0), list[i].Size);
            var body = new MemoryStream();
            Assert.Equal(wire.Length, await client.RetrAsync(i + 1, body));
            Assert.Equal(wire, body.ToArray());
            var header = new MemoryStream();
            await client.TopAsync(i + 1, 0, header);
            var text = Encoding.Latin1.GetString(wire);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            Assert.Equal(text[..(end + 4)], Encoding.Latin1.GetString(header.ToArray()));
        }

        var missing = await Assert.ThrowsAsync<Pop3CommandException>(() => client.RetrAsync(99, Stream.Null));
        Assert.Equal("RETR", missing.Command);
        Assert.True(client.IsConnected);
        await client.QuitAsync();
    }
}
