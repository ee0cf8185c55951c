using System.Text;
using PopGate.Mime;
using PopGate.Testing;

namespace PopGate.Tests.Mime;

/// <summary>The header reader: unfolding, RFC 2047 words, addresses, dates, and the header block cut from a stream.</summary>
public sealed class MimeHeaderTests
{
    [Theory]
    // RFC 2047 section 8 examples.
    [InlineData("(=?ISO-8859-1?Q?a?=)", "(a)")]
    [InlineData("(=?ISO-8859-1?Q?a?= b)", "(a b)")]
    [InlineData("(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)", "(ab)")]
    [InlineData("(=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=)", "(ab)")]
    [InlineData("(=?ISO-8859-1?Q?a?=\t =?ISO-8859-1?Q?b?=)", "(ab)")]
    [InlineData("(=?ISO-8859-1?Q?a_b?=)", "(a b)")]
    [InlineData("(=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=)", "(a b)")]
    [InlineData("=?US-ASCII*EN?Q?Keith_Moore?=", "Keith Moore")]
    [InlineData("=?utf-8?b?SsO2cmc?=", "Jörg")]
    [InlineData("plain text", "plain text")]
    [InlineData("=?unknown-charset?Q?x?=", "=?unknown-charset?Q?x?=")]
    [InlineData("=?utf-8?Q?broken", "=?utf-8?Q?broken")]
    public void Encoded_words_decode_as_RFC_2047_says(string input, string expected) =>
        Assert.Equal(expected, EncodedWords.Decode(input));

    [Fact]
    public void A_character_split_across_two_words_survives()
    {
        // "é" is C3 A9 in UTF-8; each word carries one of its octets.
        Assert.Equal("é", EncodedWords.Decode("=?UTF-8?Q?=C3?= =?UTF-8?Q?=A9?="));
    }

    [Theory]
    [InlineData("John Doe <jdoe@example.com>", "John Doe", "jdoe@example.com")]
    [InlineData("\"Joe Q. Public\" <john.q.public@example.com>", "Joe Q. Public", "john.q.public@example.com")]
    [InlineData("jdoe@example.com (John Doe)", "John Doe", "jdoe@example.com")]
    [InlineData("<boss@nil.test>", null, "boss@nil.test")]
    [InlineData("Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>", "Pete", "pete(his account)@silly.test(his host)")]
    public void Single_addresses(string text, string? name, string email)
    {
        var address = Assert.Single(MailAddress.ParseList(text));
        Assert.Equal(name, address.Name);
        Assert.Equal(email, address.Email);
    }

    [Fact]
    public void Lists_and_groups_are_flattened()
    {
        var list = MailAddress.ParseList("A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;, \"Last, First\" <lf@x.test>, Undisclosed recipients:;");
        Assert.Equal(["c@a.test", "joe@where.test", "jdoe@one.test", "lf@x.test"], list.Select(a => a.Email));
        Assert.Equal("Last, First", list[3].Name);
    }

    [Theory]
    [InlineData("Fri, 21 Nov 1997 09:55:06 -0600", "1997-11-21T15:55:06Z")]
    [InlineData("21 Nov 97 09:55:06 GMT", "1997-11-21T09:55:06Z")]
    [InlineData("Thu,\r\n      13\r\n        Feb\r\n          1969\r\n      23:32\r\n               -0330 (Newfoundland Time)", "1969-02-14T03:02:00Z")]
    [InlineData("Tue, 1 Jul 2003 10:52:37 EDT", "2003-07-01T14:52:37Z")]
    [InlineData("Mon, 31 Dec 2012 23:59:60 +0000", "2012-12-31T23:59:59Z")]
    public void Dates_in_current_and_obsolete_forms(string text, string utc)
    {
        Assert.True(MailDate.TryParse(text, out var value));
        Assert.Equal(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("31 Feb 2020 10:00:00 +0000")]
    [InlineData("1 Jan 2020 25:00:00 +0000")]
    public void Bad_dates_are_refused(string text) => Assert.False(MailDate.TryParse(text, out _));

    [Fact]
    public void Fields_are_unfolded_and_junk_lines_skipped()
    {
        var fields = HeaderFields.Parse("From nobody Mon Jan  1 00:00:00 2024\nSubject: one\r\n two\r\n\tthree\r\nX-Empty:\r\nnot a field\r\nTo: a@b\r\n"u8);
        Assert.Equal(["Subject", "X-Empty", "To"], fields.Select(f => f.Name));
        Assert.Equal("one two\tthree", fields[0].Value);
        Assert.Equal(string.Empty, fields[1].Value);
    }

    [Fact]
    public async Task The_header_block_is_the_same_whatever_the_chunks()
    {
        foreach (var file in TestCorpus.NonEmptyMessageFiles().Take(80))
        {
            var raw = File.ReadAllBytes(file);
            var whole = new HeaderBlockSink();
            await whole.WriteAsync(raw, CancellationToken.None);
            foreach (var size in new[] { 1, 2, 3, 7, 64 })
            {
                var split = new HeaderBlockSink();
                for (var at = 0; at < raw.Length; at += size)
                {
                    if (!await split.WriteAsync(raw.AsMemory(at, Math.Min(size, raw.Length - at)), CancellationToken.None))
                    {
                        break;
                    }
                }

                Assert.Equal(whole.Header.ToArray(), split.Header.ToArray());
            }

            // The header never holds the empty line or anything of the body.
            var text = Encoding.Latin1.GetString(whole.Header);
            Assert.DoesNotContain("\n\n", text, StringComparison.Ordinal);
            Assert.DoesNotContain("\n\r\n", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_corpus_header_parses()
    {
        foreach (var file in TestCorpus.NonEmptyMessageFiles())
        {
            var fields = HeaderFields.Parse(File.ReadAllBytes(file).AsSpan(0, (int)Math.Min(new FileInfo(file).Length, 64 * 1024)));
            foreach (var field in fields)
            {
                _ = EncodedWords.Decode(field.Value);
                _ = MailAddress.ParseList(field.Value);
                _ = MailDate.TryParse(field.Value, out _);
            }
        }
    }
}
