using System.Buffers;
using PopGate.Protocol;
using PopGate.Testing;

namespace PopGate.Tests.Protocol;

/// <summary>The dot-stuffer, the unstuffer and the size counter agree with each other and with a plain reference, however the bytes are split.</summary>
public sealed class CodecTests
{
    public static TheoryData<string> Cases() => new()
    {
        "",
        "a",
        ".",
        "\n",
        "\r",
        "\r\n",
        ".\r\n",
        "..\n.\n",
        "Subject: x\n\n.\n",
        "line\r\n.line\rwith bare cr\n.\r\n",
        "no final newline",
        "ends with cr\r",
        "\n\n\n",
        ".\r\n.\r\n",
        "From x\n>From y\n",
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Stuffed_then_unstuffed_gives_the_wire_form(string text)
    {
        var raw = System.Text.Encoding.Latin1.GetBytes(text);
        AssertRoundTrip(raw);
    }

    [Fact]
    public void Random_messages_round_trip_split_at_every_size()
    {
        var random = new Random(1939);
        byte[] alphabet = ".\r\n\r\na\0\xff "u8.ToArray();
        for (var n = 0; n < 400; n++)
        {
            var raw = new byte[random.Next(0, 60)];
            for (var i = 0; i < raw.Length; i++)
            {
                raw[i] = alphabet[random.Next(alphabet.Length)];
            }

            AssertRoundTrip(raw);
        }
    }

    [Fact]
    public void Whole_message_path_and_line_counting_path_give_the_same_bytes()
    {
        // RETR copies runs of lines; TOP walks line by line: with a limit no message reaches, both must agree.
        var random = new Random(2026);
        byte[] alphabet = ".\r\n\r\naa "u8.ToArray();
        for (var n = 0; n < 400; n++)
        {
            var raw = new byte[random.Next(0, 200)];
            for (var i = 0; i < raw.Length; i++)
            {
                raw[i] = alphabet[random.Next(alphabet.Length)];
            }

            Assert.Equal(Latin1(StuffTop(raw, int.MaxValue)), Latin1(Stuff(raw, Math.Max(raw.Length, 1))));
            Assert.Equal(Latin1(StuffTop(raw, int.MaxValue)), Latin1(Stuff(raw, 1 + random.Next(16))));
        }
    }

    [Fact]
    public void Corpus_messages_round_trip()
    {
        foreach (var file in TestCorpus.MessageFiles())
        {
            AssertRoundTrip(File.ReadAllBytes(file), chunkSizes: [1, 7, 4096]);
        }
    }

    [Fact]
    public void Stuffed_output_never_contains_a_premature_terminator()
    {
        var raw = "a\r\n.\r\nb\n.\nc"u8.ToArray();
        var stuffed = Stuff(raw, raw.Length);
        var text = System.Text.Encoding.Latin1.GetString(stuffed);
        Assert.Equal(text.Length - 3, text.IndexOf("\r\n.\r\n", StringComparison.Ordinal) + 2);
    }

    [Fact]
    public void Top_cuts_after_the_header_and_the_given_lines()
    {
        var raw = "A: 1\nB: 2\n\none\n.two\nthree\n"u8.ToArray();
        Assert.Equal("A: 1\r\nB: 2\r\n\r\n.\r\n", Latin1(StuffTop(raw, 0)));
        Assert.Equal("A: 1\r\nB: 2\r\n\r\none\r\n..two\r\n.\r\n", Latin1(StuffTop(raw, 2)));
        Assert.Equal("A: 1\r\nB: 2\r\n\r\none\r\n..two\r\nthree\r\n.\r\n", Latin1(StuffTop(raw, 99)));
        // A message without a body is all header.
        Assert.Equal("A: 1\r\nB: 2\r\n.\r\n", Latin1(StuffTop("A: 1\nB: 2"u8.ToArray(), 0)));
        // CRLF separators count as blank lines too.
        Assert.Equal("A: 1\r\n\r\nx\r\n.\r\n", Latin1(StuffTop("A: 1\r\n\r\nx\r\ny\r\n"u8.ToArray(), 1)));
    }

    [Fact]
    public void Unstuffer_accepts_a_bare_lf_terminator_and_reports_what_it_consumed()
    {
        var unstuffer = new DotUnstuffer();
        var output = new ArrayBufferWriter<byte>();
        var input = "..x\n.\nNEXT"u8;
        var consumed = unstuffer.Decode(input, output);
        Assert.True(unstuffer.IsDone);
        Assert.Equal(6, consumed);
        Assert.Equal(".x\n", Latin1(output.WrittenSpan.ToArray()));
    }

    private static void AssertRoundTrip(byte[] raw, int[]? chunkSizes = null)
    {
        var wire = TestCorpus.ToWire(raw);
        Assert.Equal(wire.Length, WireSize.Of(raw));
        var whole = Stuff(raw, Math.Max(raw.Length, 1));
        foreach (var chunk in chunkSizes ?? [1, 2, 3, 5, 8])
        {
            Assert.Equal(whole, Stuff(raw, chunk));
            var size = new WireSize();
            for (var i = 0; i < raw.Length; i += chunk)
            {
                size.Add(raw.AsSpan(i, Math.Min(chunk, raw.Length - i)));
            }

            Assert.Equal(wire.Length, size.Total);
        }

        foreach (var chunk in chunkSizes ?? [1, 2, 3, 5, 8])
        {
            Assert.Equal(wire, Unstuff(whole, chunk));
        }
    }

    private static byte[] Stuff(byte[] raw, int chunk)
    {
        var stuffer = new DotStuffer();
        var output = new ArrayBufferWriter<byte>();
        for (var i = 0; i < raw.Length; i += chunk)
        {
            stuffer.Write(raw.AsSpan(i, Math.Min(chunk, raw.Length - i)), output);
        }

        stuffer.Complete(output);
        return output.WrittenSpan.ToArray();
    }

    private static byte[] StuffTop(byte[] raw, int lines)
    {
        var stuffer = new DotStuffer(lines);
        var output = new ArrayBufferWriter<byte>();
        foreach (var b in raw)
        {
            if (!stuffer.Write([b], output))
            {
                break;
            }
        }

        stuffer.Complete(output);
        return output.WrittenSpan.ToArray();
    }

    private static byte[] Unstuff(byte[] stuffed, int chunk)
    {
        var unstuffer = new DotUnstuffer();
        var output = new ArrayBufferWriter<byte>();
        var i = 0;
        while (!unstuffer.IsDone)
        {
            Assert.True(i < stuffed.Length, "terminator not found");
            var piece = stuffed.AsSpan(i, Math.Min(chunk, stuffed.Length - i));
            i += unstuffer.Decode(piece, output);
        }

        Assert.Equal(stuffed.Length, i);
        return output.WrittenSpan.ToArray();
    }

    private static string Latin1(byte[] bytes) => System.Text.Encoding.Latin1.GetString(bytes);
}
