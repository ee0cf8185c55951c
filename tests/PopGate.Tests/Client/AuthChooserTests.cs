using PopGate.Client;

namespace PopGate.Tests.Client;

/// <summary>Which login method is picked from CAPA, the greeting, the credentials and the link's protection.</summary>
public sealed class AuthChooserTests
{
    private static readonly Pop3Credentials Password = new("u") { Password = "p" };
    private static readonly Pop3Credentials Token = new("u") { OAuthToken = "t" };

    private static Pop3Capabilities Capa(params string[] lines) => new(lines);

    public static TheoryData<string[], bool, bool, string> Cases() => new()
    {
        { ["USER", "SASL PLAIN SCRAM-SHA-256 CRAM-MD5"], false, false, "SCRAM-SHA-256" },
        { ["USER", "PIPELINING", "SASL PLAIN"], true, false, "USER" },
        { ["USER", "SASL PLAIN LOGIN"], true, false, "PLAIN" },
        { ["USER"], true, false, "USER" },
        { ["SASL LOGIN"], true, false, "LOGIN" },
        { ["USER", "SASL PLAIN CRAM-MD5"], false, false, "CRAM-MD5" },
        { ["USER", "SASL PLAIN"], false, true, "PLAIN" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Picks_the_strongest_method_the_link_allows(string[] capa, bool secure, bool cleartext, string expected)
    {
        Assert.Equal(expected, AuthChooser.Choose(Capa(capa), null, Password, secure, cleartext));
    }

    [Fact]
    public void Without_tls_a_password_is_only_sent_hashed_or_refused()
    {
        var greeting = new Pop3Greeting("ready <1.2@host>");
        Assert.Equal("APOP", AuthChooser.Choose(Capa("USER", "SASL PLAIN"), greeting, Password, secure: false, allowCleartext: false));
        Assert.Throws<Pop3TlsException>(() => AuthChooser.Choose(Capa("USER", "SASL PLAIN"), null, Password, secure: false, allowCleartext: false));
        Assert.Throws<NotSupportedException>(() => AuthChooser.Choose(Capa("SASL GSSAPI"), null, Password, secure: true, allowCleartext: false));
    }

    [Fact]
    public void Tokens_prefer_oauthbearer_and_forced_methods_win()
    {
        Assert.Equal("OAUTHBEARER", AuthChooser.Choose(Capa("SASL XOAUTH2 OAUTHBEARER"), null, Token, true, false));
        Assert.Equal("XOAUTH2", AuthChooser.Choose(Capa("SASL XOAUTH2 PLAIN"), null, Token, true, false));
        Assert.Throws<NotSupportedException>(() => AuthChooser.Choose(Capa("SASL PLAIN"), null, Token, true, false));
        Assert.Equal("LOGIN", AuthChooser.Choose(Capa("SASL SCRAM-SHA-256"), null, Password with { Mechanism = "login" }, false, false));
        Assert.Equal("USER", AuthChooser.Choose(Pop3Capabilities.None, null, Password, true, false));
    }
}
