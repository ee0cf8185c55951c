using PopGate.Client;

namespace PopGate.Tests.Client;

/// <summary>The [ssl:|starttls:|tcp:][user@]host[!sni_host][:port] syntax.</summary>
public sealed class ConnectionSpecTests
{
    [Theory]
    [InlineData("pop.example.com", ConnectionSecurity.Tls, null, "pop.example.com", null, 995)]
    [InlineData("ssl:pop.example.com", ConnectionSecurity.Tls, null, "pop.example.com", null, 995)]
    [InlineData("starttls:bob@pop.example.com", ConnectionSecurity.StartTls, "bob", "pop.example.com", null, 110)]
    [InlineData("tcp:bob@127.0.0.1:2110", ConnectionSecurity.None, "bob", "127.0.0.1", null, 2110)]
    [InlineData("ssl:me@example.org@10.0.0.5!mail.example.org:9995", ConnectionSecurity.Tls, "me@example.org", "10.0.0.5", "mail.example.org", 9995)]
    [InlineData("ssl:[::1]:995", ConnectionSecurity.Tls, null, "::1", null, 995)]
    [InlineData("starttls:u@[2001:db8::7]!pop.example.net", ConnectionSecurity.StartTls, "u", "2001:db8::7", "pop.example.net", 110)]
    [InlineData("SSL:host", ConnectionSecurity.Tls, null, "host", null, 995)]
    public void Parses(string text, ConnectionSecurity security, string? user, string host, string? sni, int port)
    {
        var spec = ConnectionSpec.Parse(text);
        Assert.Equal(security, spec.Security);
        Assert.Equal(user, spec.User);
        Assert.Equal(host, spec.Host);
        Assert.Equal(sni, spec.SniHost);
        Assert.Equal(port, spec.Port);
        Assert.Equal(sni ?? host, spec.TlsHost);
        Assert.Equal(text, spec.Text);
        var again = ConnectionSpec.Parse(spec.ToString());
        Assert.Equal((spec.Security, spec.User, spec.Host, spec.SniHost, spec.Port), (again.Security, again.User, again.Host, again.SniHost, again.Port));
    }

    [Theory]
    [InlineData("")]
    [InlineData("ssl:")]
    [InlineData("@host")]
    [InlineData("host:0")]
    [InlineData("host:70000")]
    [InlineData("host:pop3")]
    [InlineData("host!")]
    [InlineData("::1")]
    [InlineData("[::1")]
    public void Refuses_with_a_message(string text)
    {
        Assert.False(ConnectionSpec.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
        Assert.Throws<FormatException>(() => ConnectionSpec.Parse(text));
    }
}
