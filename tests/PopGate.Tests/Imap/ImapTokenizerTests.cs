using System.Buffers;
using System.Text;
using PopGate.Imap;

namespace PopGate.Tests.Imap;

public sealed class ImapTokenizerTests
{
    private const int Max = 1000;

    /// <summary>Tokens as text: atoms as is, quoted as "x" (unescaped), literals as {n} / ~{n}, ( ) and CRLF.</summary>
    private static List<string> Tokens(ReadOnlySequence<byte> input, out long consumed)
    {
        var reader = new SequenceReader<byte>(input);
        var tokens = new List<string>();
        while (ImapTokenizer.TryRead(ref reader, Max, out var token) == OperationStatus.Done)
        {
            tokens.Add(token.ToString());
            if (token.Kind == ImapTokenKind.Literal)
            {
                // The caller reads the literal's octets itself.
                if (reader.Remaining < token.LiteralLength)
                {
                    break;
                }

                tokens.Add("<" + Encoding.UTF8.GetString(reader.UnreadSequence.Slice(0, token.LiteralLength).ToArray()) + ">");
                reader.Advance(token.LiteralLength);
            }
        }

        consumed = reader.Consumed;
        return tokens;
    }

    private static List<string> Tokens(string text) => Tokens(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(text)), out _);

    [Fact]
    public void Splits_a_fetch_line_with_flags_and_a_literal()
    {
        var tokens = Tokens("* 12 FETCH (UID 7 FLAGS (\\Seen \\*) BODY[] {5}\r\nhello)\r\n");
        Assert.Equal(["*", "12", "FETCH", "(", "UID", "7", "FLAGS", "(", "\\Seen", "\\*", ")", "BODY[]", "{5}", "<hello>", ")", "CRLF"], tokens);
    }

    [Fact]
    public void Keeps_a_bracketed_section_with_spaces_and_parentheses_in_one_atom()
    {
        var tokens = Tokens("* 1 FETCH (BODY[HEADER.FIELDS (FROM TO)]<0> \"x\")\r\n");
        Assert.Equal(["*", "1", "FETCH", "(", "BODY[HEADER.FIELDS (FROM TO)]<0>", "\"x\"", ")", "CRLF"], tokens);
    }

    [Fact]
    public void Reads_literal8_headers()
    {
        var tokens = Tokens("* 3 FETCH (BODY[] ~{3}\r\na\0b UID 9)\r\n");
        Assert.Equal(["*", "3", "FETCH", "(", "BODY[]", "~{3}", "<a\0b>", "UID", "9", ")", "CRLF"], tokens);
    }

    [Fact]
    public void Undoes_escapes_in_quoted_strings()
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>("\"a\\\"b\\\\c\" "u8.ToArray()));
        Assert.Equal(OperationStatus.Done, ImapTokenizer.TryRead(ref reader, Max, out var token));
        Assert.Equal(ImapTokenKind.Quoted, token.Kind);
        Assert.Equal("a\"b\\c", token.GetString());
    }

    [Fact]
    public void Recognises_nil_and_numbers_and_ignores_case()
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>("nil 4294967295 12a "u8.ToArray()));
        ImapTokenizer.TryRead(ref reader, Max, out var nil);
        ImapTokenizer.TryRead(ref reader, Max, out var number);
        ImapTokenizer.TryRead(ref reader, Max, out var notNumber);
        Assert.True(nil.IsNil);
        Assert.True(number.TryGetNumber(out var value));
        Assert.Equal(4294967295L, value);
        Assert.False(notNumber.TryGetNumber(out _));
    }

    [Fact]
    public void Accepts_a_bare_lf_as_line_end()
    {
        Assert.Equal(["*", "3", "EXISTS", "CRLF"], Tokens("* 3 EXISTS\n"));
    }

    [Theory]
    [InlineData("\"abc\r\n\"")]
    [InlineData("{12x}\r\n")]
    [InlineData("{}\r\n")]
    [InlineData("{3}x")]
    [InlineData("\rx")]
    public void Refuses_malformed_tokens(string text)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(text)));
        Assert.Equal(OperationStatus.InvalidData, ImapTokenizer.TryRead(ref reader, Max, out _));
        Assert.Equal(0, reader.Consumed);
    }

    [Fact]
    public void Refuses_an_atom_or_quoted_string_longer_than_the_limit()
    {
        var atom = new SequenceReader<byte>(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(new string('a', 20) + " ")));
        Assert.Equal(OperationStatus.InvalidData, ImapTokenizer.TryRead(ref atom, 10, out _));
        var quoted = new SequenceReader<byte>(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("\"" + new string('a', 20) + "\"")));
        Assert.Equal(OperationStatus.InvalidData, ImapTokenizer.TryRead(ref quoted, 10, out _));
    }

    private const string Sample = "* 5 FETCH (UID 42 RFC822.SIZE 1234 FLAGS (\\Deleted) BODY[TEXT]<0> {4}\r\n(\r\n) BINARY[] ~{2}\r\n\"\" X \"q\\\"\")\r\nA7 OK done\r\n";

    [Fact]
    public void Every_prefix_needs_more_data_or_gives_the_tokens_of_the_whole()
    {
        var bytes = Encoding.UTF8.GetBytes(Sample);
        var whole = Tokens(new ReadOnlySequence<byte>(bytes), out var total);
        Assert.Equal(bytes.Length, total);
        for (var length = 0; length <= bytes.Length; length++)
        {
            var prefix = Tokens(new ReadOnlySequence<byte>(bytes, 0, length), out var consumed);
            Assert.True(consumed <= length);
            // What a prefix yields is the start of what the whole yields; nothing is half-read.
            Assert.Equal(whole.Take(prefix.Count), prefix);
        }
    }

    [Fact]
    public void Any_split_into_segments_gives_the_same_tokens()
    {
        var bytes = Encoding.UTF8.GetBytes(Sample);
        var whole = Tokens(new ReadOnlySequence<byte>(bytes), out _);
        Assert.Equal(whole, Tokens(Segments.OneBytePer(bytes), out _));
        for (var cut = 1; cut < bytes.Length; cut++)
        {
            Assert.Equal(whole, Tokens(Segments.Split(bytes, cut, cut + 3), out _));
        }
    }

    [Fact]
    public void Reads_text_to_the_line_end_without_the_leading_space()
    {
        var reader = new SequenceReader<byte>(Segments.OneBytePer(" [ALERT] a \"b ( c\r\nnext"u8.ToArray()));
        Assert.Equal(OperationStatus.Done, ImapTokenizer.TryReadText(ref reader, Max, out var text));
        Assert.Equal("[ALERT] a \"b ( c", Encoding.UTF8.GetString(text.ToArray()));
        Assert.Equal("next", Encoding.UTF8.GetString(reader.UnreadSequence.ToArray()));
    }

    [Fact]
    public void Text_needs_more_data_until_the_line_end_and_refuses_overlong_lines()
    {
        var partial = new SequenceReader<byte>(new ReadOnlySequence<byte>("OK still"u8.ToArray()));
        Assert.Equal(OperationStatus.NeedMoreData, ImapTokenizer.TryReadText(ref partial, Max, out _));
        var endless = new SequenceReader<byte>(new ReadOnlySequence<byte>(new byte[50]));
        Assert.Equal(OperationStatus.InvalidData, ImapTokenizer.TryReadText(ref endless, 10, out _));
    }
}
