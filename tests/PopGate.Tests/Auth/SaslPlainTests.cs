using System.Text;
using PopGate.Auth;

namespace PopGate.Tests.Auth;

public class SaslPlainTests
{
    // RFC 4616 §4, the two examples: "\0tim\0tanstaaftanstaaf" and "Ursel\0Kurt\0xipj3plmq".
    [Theory]
    [InlineData("\0tim\0tanstaaftanstaaf", "", "tim", "tanstaaftanstaaf")]
    [InlineData("Ursel\0Kurt\0xipj3plmq", "Ursel", "Kurt", "xipj3plmq")]
    [InlineData("\0jürgen\0pä ss", "", "jürgen", "pä ss")]
    public void Valid_messages_split_into_their_three_fields(string message, string authzid, string authcid, string password)
    {
        Assert.True(SaslPlain.TryParse(Encoding.UTF8.GetBytes(message), out var z, out var c, out var p));
        Assert.Equal(authzid, z);
        Assert.Equal(authcid, c);
        Assert.Equal(password, p);
    }

    [Theory]
    [InlineData("")]
    [InlineData("tim")]
    [InlineData("\0tim")]
    [InlineData("\0tim\0")]
    [InlineData("\0\0secret")]
    [InlineData("a\0tim\0pass\0word")]
    public void Malformed_messages_are_refused(string message)
    {
        Assert.False(SaslPlain.TryParse(Encoding.UTF8.GetBytes(message), out var z, out var c, out var p));
        Assert.Equal(string.Empty, z + c + p);
    }

    [Fact]
    public void Invalid_utf8_and_overlong_fields_are_refused()
    {
        Assert.False(SaslPlain.TryParse([0, (byte)'t', 0xC3, 0, (byte)'p'], out _, out _, out _));
        Assert.False(SaslPlain.TryParse([.. "\0tim\0"u8, .. Encoding.ASCII.GetBytes(new string('p', 256))], out _, out _, out _));
        Assert.True(SaslPlain.TryParse([.. "\0tim\0"u8, .. Encoding.ASCII.GetBytes(new string('p', 255))], out _, out _, out _));
    }
}
