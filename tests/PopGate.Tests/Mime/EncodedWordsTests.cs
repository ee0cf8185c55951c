using System.Text;
using PopGate.Mime;

namespace PopGate.Tests.Mime;

/// <summary>RFC 2047 decoding: the examples of its section 8, charsets beyond UTF-8, and broken input left alone.</summary>
public sealed class EncodedWordsTests
{
    [Theory]
    // RFC 2047 section 8.
    [InlineData("(=?ISO-8859-1?Q?a?=)", "(a)")]
    [InlineData("(=?ISO-8859-1?Q?a?= b)", "(a b)")]
    [InlineData("(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)", "(ab)")]
    [InlineData("(=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=)", "(ab)")]
    [InlineData("(=?ISO-8859-1?Q?a?=\t =?ISO-8859-1?Q?b?=)", "(ab)")]
    [InlineData("(=?ISO-8859-1?Q?a_b?=)", "(a b)")]
    [InlineData("(=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=)", "(a b)")]
    [InlineData("=?US-ASCII?Q?Keith_Moore?= <moore@cs.utk.edu>", "Keith Moore <moore@cs.utk.edu>")]
    [InlineData("=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?= <keld@dkuug.dk>", "Keld Jørn Simonsen <keld@dkuug.dk>")]
    [InlineData("=?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>", "André Pirard <PIRARD@vm1.ulg.ac.be>")]
    [InlineData("=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?= =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=", "If you can read this you understand the example.")]
    // RFC 2231 language suffix, lower-case encoding letter, missing base64 padding.
    [InlineData("=?utf-8*en?q?hello_world?=", "hello world")]
    [InlineData("=?UTF-8?b?w6l0w6k?=", "été")]
    // A UTF-8 character split across two words.
    [InlineData("=?UTF-8?Q?caf=C3?= =?UTF-8?Q?=A9?=", "café")]
    // Legacy charsets from the code-pages provider.
    [InlineData("=?ISO-2022-JP?B?GyRCJUYlOSVIGyhC?=", "テスト")]
    [InlineData("=?windows-1251?B?z/Do4uXy?=", "Привет")]
    [InlineData("=?koi8-r?Q?=F0=D2=C9=D7=C5=D4?=", "Привет")]
    // UTF-7, which .NET only decodes when asked by name, and a byte order mark dropped.
    [InlineData("=?utf-7?Q?Hi_+AOk-?=", "Hi é")]
    [InlineData("=?UTF-8?B?77u/dGVzdA==?=", "test")]
    // Left alone: unknown charset, unknown encoding, broken base64, plain text.
    [InlineData("=?x-no-such-charset?Q?a?=", "=?x-no-such-charset?Q?a?=")]
    [InlineData("=?UTF-8?X?abc?=", "=?UTF-8?X?abc?=")]
    [InlineData("=?UTF-8?B?!!!?=", "=?UTF-8?B?!!!?=")]
    [InlineData("plain = text ? yes", "plain = text ? yes")]
    [InlineData("a =?UTF-8?Q?b?= c", "a b c")]
    public void Decodes(string input, string expected)
    {
        Assert.Equal(expected, EncodedWords.Decode(input));
    }

    [Fact]
    public void Header_fields_are_unfolded_and_8bit_values_kept()
    {
        var raw = Encoding.Latin1.GetBytes(
            "From: =?ISO-8859-1?Q?Andr=E9?=\r\n  <andre@example.com>\r\nSubject: caf\u00e9 au lait\r\n"
            + "Date: Tue, 1 Jul 2003\r\n\t10:52:37 +0200\r\nbroken line\r\nX-Utf8: "
            + Encoding.Latin1.GetString(Encoding.UTF8.GetBytes("naïve")) + "\n\nSubject: body, not header\r\n");
        var fields = HeaderFields.Parse(raw);
        Assert.Equal("André  <andre@example.com>", fields.Decoded("from"));
        Assert.Equal("café au lait", fields.Decoded("Subject"));
        Assert.Equal("Tue, 1 Jul 2003\t10:52:37 +0200", fields.Raw("DATE"));
        Assert.Equal("naïve", fields.Raw("X-Utf8"));
        Assert.Equal(4, fields.Count);
    }
}
