using System.Text;
using PopGate.Sasl;

namespace PopGate.Tests.Sasl;

/// <summary>The client mechanisms against the examples published in their specifications.</summary>
public sealed class SaslClientTests
{
    [Fact]
    public void Plain_sends_authzid_user_and_password_separated_by_nul()
    {
        // RFC 4616 section 4: "\0tim\0tanstaaftanstaaf" for user tim, no authorization identity.
        var plain = new SaslPlainClient("tim", "tanstaaftanstaaf");
        Assert.Equal("\0tim\0tanstaaftanstaaf"u8.ToArray(), plain.GetInitialResponse());
        Assert.Equal("Kurt\0tim\0x"u8.ToArray(), new SaslPlainClient("tim", "x", "Kurt").GetInitialResponse());
        Assert.Throws<SaslException>(() => plain.EvaluateChallenge([]));
    }

    [Fact]
    public void Cram_md5_matches_the_rfc_2195_example()
    {
        // RFC 2195 section 2: user tim, secret tanstaaftanstaaf.
        var cram = new CramMd5Client("tim", "tanstaaftanstaaf");
        Assert.Null(cram.GetInitialResponse());
        var response = cram.EvaluateChallenge("<1896.697170952@postoffice.reston.mci.net>"u8);
        Assert.Equal("tim b913a602c7eda7a495b4e6e7334d3890", Encoding.ASCII.GetString(response));
        Assert.True(cram.IsComplete);
        Assert.Throws<SaslException>(() => cram.EvaluateChallenge("again"u8));
    }

    [Fact]
    public void Scram_sha_256_matches_the_rfc_7677_example_and_checks_the_server_signature()
    {
        // RFC 7677 section 3: user "user", password "pencil", client nonce rOprNGfwEbeRWgbNEkqO.
        var scram = new ScramSha256Client("user", "pencil", "rOprNGfwEbeRWgbNEkqO");
        Assert.Equal("n,,n=user,r=rOprNGfwEbeRWgbNEkqO", Encoding.ASCII.GetString(scram.GetInitialResponse()!));
        var final = scram.EvaluateChallenge("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"u8);
        Assert.Equal(
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
            Encoding.ASCII.GetString(final));
        Assert.False(scram.IsComplete);
        Assert.Empty(scram.EvaluateChallenge("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="u8));
        Assert.True(scram.IsComplete);
    }

    [Fact]
    public void Scram_refuses_a_wrong_server_signature_a_foreign_nonce_and_absurd_iterations()
    {
        var wrongSignature = new ScramSha256Client("user", "pencil", "rOprNGfwEbeRWgbNEkqO");
        wrongSignature.EvaluateChallenge("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"u8);
        Assert.Throws<SaslException>(() => wrongSignature.EvaluateChallenge("v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="u8));
        Assert.False(wrongSignature.IsComplete);

        Assert.Throws<SaslException>(() => new ScramSha256Client("user", "pencil", "abc").EvaluateChallenge("r=xyz123,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"u8));
        Assert.Throws<SaslException>(() => new ScramSha256Client("user", "pencil", "abc").EvaluateChallenge("r=abcdef,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=2000000000"u8));
        Assert.Throws<SaslException>(() => new ScramSha256Client("user", "pencil", "abc").EvaluateChallenge("m=ext,r=abcdef,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"u8));
        var refused = new ScramSha256Client("user", "pencil", "abc");
        refused.EvaluateChallenge("r=abcdef,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=16"u8);
        Assert.Contains("invalid-proof", Assert.Throws<SaslException>(() => refused.EvaluateChallenge("e=invalid-proof"u8)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scram_escapes_comma_and_equals_in_the_user_name()
    {
        var scram = new ScramSha256Client("a,b=c", "x", "n0");
        Assert.Equal("n,,n=a=2Cb=3Dc,r=n0", Encoding.ASCII.GetString(scram.GetInitialResponse()!));
    }

    [Fact]
    public void Xoauth2_matches_googles_documented_example()
    {
        // developers.google.com/gmail/imap/xoauth2-protocol: the initial client response before base64.
        var xoauth2 = new XOAuth2Client("someuser@example.com", "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg");
        Assert.Equal(
            "dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ==",
            Convert.ToBase64String(xoauth2.GetInitialResponse()!));
        Assert.Empty(xoauth2.EvaluateChallenge("{\"status\":\"401\"}"u8));
        Assert.Equal("{\"status\":\"401\"}", xoauth2.ServerError);
    }

    [Fact]
    public void Oauthbearer_matches_the_rfc_7628_example()
    {
        // RFC 7628 section 4.1.
        var bearer = new OAuthBearerClient("user@example.com", "vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg==", "server.example.com", 143);
        Assert.Equal(
            "n,a=user@example.com,\u0001host=server.example.com\u0001port=143\u0001auth=Bearer vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg==\u0001\u0001",
            Encoding.UTF8.GetString(bearer.GetInitialResponse()!));
        Assert.Equal([0x01], bearer.EvaluateChallenge("eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIn0="u8));
    }

    [Fact]
    public void Login_answers_the_user_then_the_password_whatever_the_prompts()
    {
        var login = new SaslLoginClient("user", "secret");
        Assert.Null(login.GetInitialResponse());
        Assert.Equal("user"u8.ToArray(), login.EvaluateChallenge("Username:"u8));
        Assert.Equal("secret"u8.ToArray(), login.EvaluateChallenge("anything"u8));
        Assert.Throws<SaslException>(() => login.EvaluateChallenge("more?"u8));
    }
}
