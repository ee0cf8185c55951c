using System.Security.Cryptography;
using System.Text;
using PopGate.Auth;

namespace PopGate.Tests.Auth;

public class ScramSha256ServerTests
{
    // RFC 7677 §3, the example exchange: user "user", password "pencil", salt W22ZaJ0SNY7soEsUEjb6gQ==, 4096 iterations.
    private const string ClientFirst = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
    private const string ServerNonce = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    private const string ServerFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    private const string ClientFinal = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    private const string ServerFinal = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    private static readonly ScramCredentials Pencil = ScramCredentials.FromPassword("pencil", Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);

    private static ScramSha256Server NewServer() => new(new ScramServerOptions { ServerNonce = ServerNonce });

    private static ScramCredentials? Lookup(string user) => user == "user" ? Pencil : null;

    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void The_rfc7677_exchange_is_reproduced()
    {
        var server = NewServer();
        var first = server.Start(Bytes(ClientFirst), Lookup);
        Assert.True(first.Succeeded, first.Error);
        Assert.Equal(ServerFirst, Encoding.UTF8.GetString(first.Message));
        Assert.Equal("user", server.UserName);
        Assert.False(server.IsAuthenticated);

        var final = server.Finish(Bytes(ClientFinal));
        Assert.True(final.Succeeded, final.Error);
        Assert.Equal(ServerFinal, Encoding.UTF8.GetString(final.Message));
        Assert.True(server.IsAuthenticated);
    }

    [Fact]
    public void A_wrong_proof_fails_with_invalid_proof()
    {
        var server = NewServer();
        Assert.True(server.Start(Bytes(ClientFirst), Lookup).Succeeded);
        var proof = Convert.FromBase64String("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
        proof[5] ^= 1;
        var final = server.Finish(Bytes("c=biws,r=rOprNGfwEbeRWgbNEkqO" + ServerNonce + ",p=" + Convert.ToBase64String(proof)));
        Assert.False(final.Succeeded);
        Assert.Equal("invalid-proof", final.Error);
        Assert.Equal("e=invalid-proof", Encoding.ASCII.GetString(final.Message));
        Assert.False(server.IsAuthenticated);
    }

    [Fact]
    public void An_unknown_user_gets_a_stable_plausible_challenge_and_fails_at_the_end()
    {
        var options = new ScramServerOptions { ServerNonce = ServerNonce, FakeIterations = 4096 };
        var a = new ScramSha256Server(options).Start(Bytes("n,,n=nobody,r=abc"), Lookup);
        var b = new ScramSha256Server(options).Start(Bytes("n,,n=nobody,r=abc"), Lookup);
        var c = new ScramSha256Server(options).Start(Bytes("n,,n=somebody,r=abc"), Lookup);
        Assert.True(a.Succeeded);
        Assert.Equal(Encoding.UTF8.GetString(a.Message), Encoding.UTF8.GetString(b.Message));
        Assert.NotEqual(Encoding.UTF8.GetString(a.Message), Encoding.UTF8.GetString(c.Message));
        var parts = Encoding.UTF8.GetString(a.Message).Split(',');
        Assert.Equal(16, Convert.FromBase64String(parts[1][2..]).Length);
        Assert.Equal("i=4096", parts[2]);

        // Even the right password of another user proves nothing for a name that does not exist.
        var server = new ScramSha256Server(options);
        var first = server.Start(Bytes("n,,n=nobody,r=abc"), Lookup);
        var final = server.Finish(Bytes(ClientFinalFor("pencil", "n,,", "n=nobody,r=abc", Encoding.UTF8.GetString(first.Message))));
        Assert.False(final.Succeeded);
        Assert.Equal("invalid-proof", final.Error);
    }

    [Fact]
    public void A_computed_client_final_is_accepted_with_y_flag_and_authzid_equal_to_the_user()
    {
        foreach (var header in new[] { "y,,", "n,a=user,", "y,a=user," })
        {
            var server = new ScramSha256Server();
            var first = server.Start(Bytes(header + "n=user,r=fyko+d2lbbFgONRv9qkxdawL"), Lookup);
            Assert.True(first.Succeeded, first.Error);
            var final = server.Finish(Bytes(ClientFinalFor("pencil", header, "n=user,r=fyko+d2lbbFgONRv9qkxdawL", Encoding.UTF8.GetString(first.Message))));
            Assert.True(final.Succeeded, final.Error);
            Assert.Equal(header.Contains("a=", StringComparison.Ordinal) ? "user" : string.Empty, server.AuthorizationId);
        }
    }

    [Fact]
    public void Escaped_user_names_are_unescaped_before_lookup()
    {
        string? asked = null;
        var server = NewServer();
        var first = server.Start(Bytes("n,,n=a=2Cb=3Dc,r=xyz"), user => { asked = user; return Pencil; });
        Assert.True(first.Succeeded);
        Assert.Equal("a,b=c", asked);
        Assert.Equal("a,b=c", server.UserName);
    }

    [Theory]
    [InlineData("p=tls-unique,,n=user,r=abc", "channel-binding-not-supported")]
    [InlineData("n,a=admin,n=user,r=abc", "other-error")]
    [InlineData("n,,m=ext,n=user,r=abc", "extensions-not-supported")]
    [InlineData("n,,n=us=41er,r=abc", "invalid-username-encoding")]
    [InlineData("n,,n=,r=abc", "invalid-username-encoding")]
    [InlineData("x,,n=user,r=abc", "invalid-encoding")]
    [InlineData("n,,r=abc,n=user", "invalid-encoding")]
    [InlineData("n,,n=user,r=", "invalid-encoding")]
    [InlineData("n,,n=user,r=a b", "invalid-encoding")]
    [InlineData("n,,n=user", "invalid-encoding")]
    [InlineData("n,,n=user,r=abc,1=x", "invalid-encoding")]
    [InlineData("", "invalid-encoding")]
    public void Bad_first_messages_fail(string message, string error)
    {
        var looked = false;
        var result = NewServer().Start(Bytes(message), _ => { looked = true; return Pencil; });
        Assert.False(result.Succeeded);
        Assert.Equal(error, result.Error);
        Assert.False(looked);
    }

    [Fact]
    public void Non_utf8_and_oversized_first_messages_fail()
    {
        Assert.Equal("invalid-encoding", NewServer().Start([.. "n,,n=us"u8, 0xFF, .. ",r=abc"u8], Lookup).Error);
        var big = new ScramSha256Server(new ScramServerOptions { MaxMessageBytes = 64 });
        Assert.Equal("invalid-encoding", big.Start(Bytes("n,,n=user,r=" + new string('a', 60)), Lookup).Error);
    }

    [Theory]
    [InlineData("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0X,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", "other-error")]
    [InlineData("c=eSws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", "channel-bindings-dont-match")]
    [InlineData("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0", "invalid-encoding")]
    [InlineData("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=###", "invalid-encoding")]
    [InlineData("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,c=biws,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", "invalid-encoding")]
    [InlineData("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ", "invalid-encoding")]
    public void Bad_final_messages_fail(string message, string error)
    {
        var server = NewServer();
        Assert.True(server.Start(Bytes(ClientFirst), Lookup).Succeeded);
        var result = server.Finish(Bytes(message));
        Assert.False(result.Succeeded);
        Assert.Equal(error, result.Error);
        Assert.False(server.IsAuthenticated);
    }

    [Fact]
    public void Steps_out_of_order_are_programming_errors()
    {
        Assert.Throws<InvalidOperationException>(() => new ScramSha256Server().Finish(Bytes(ClientFinal)));
        var server = NewServer();
        Assert.False(server.Start(Bytes("p=x,,n=user,r=abc"), Lookup).Succeeded);
        Assert.Throws<InvalidOperationException>(() => server.Finish(Bytes(ClientFinal)));
        Assert.Throws<InvalidOperationException>(() => server.Start(Bytes(ClientFirst), Lookup));
        Assert.Throws<ArgumentException>(() => new ScramSha256Server(new ScramServerOptions { ServerNonce = "a,b" }));
    }

    /// <summary>The client side of RFC 5802 §3, written out so that tests can act as any client.</summary>
    internal static string ClientFinalFor(string password, string gs2Header, string clientFirstBare, string serverFirst)
    {
        var attributes = serverFirst.Split(',');
        var nonce = attributes[0][2..];
        var salt = Convert.FromBase64String(attributes[1][2..]);
        var iterations = int.Parse(attributes[2][2..], System.Globalization.CultureInfo.InvariantCulture);
        var withoutProof = $"c={Convert.ToBase64String(Encoding.UTF8.GetBytes(gs2Header))},r={nonce}";
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        var signature = HMACSHA256.HashData(SHA256.HashData(clientKey), Encoding.UTF8.GetBytes($"{clientFirstBare},{serverFirst},{withoutProof}"));
        for (var i = 0; i < signature.Length; i++)
        {
            signature[i] ^= clientKey[i];
        }

        return $"{withoutProof},p={Convert.ToBase64String(signature)}";
    }
}
