using System.Text;
using PopGate.Fetch;

namespace PopGate.Tests.Fetch;

/// <summary>
/// CRLF to LF and mboxrd quoting, checked against a plain whole-buffer reference at every split point and one
/// byte at a time, and with lines longer than what the copier holds back.
/// </summary>
public sealed class MessageCopierTests
{
    private static readonly byte[] Sample = Encoding.ASCII.GetBytes(
        "From: a@example.com\r\nSubject: x\r\n\r\nFrom the start\r\n>From once\r\n>>From twice\r\n> From not\r\nFromage\r\n" +
        "bare lf\nlone cr\rstill\r\n\r\r\n.\r\nFrom");

    /// <summary>The reference: whole lines, done the obvious way.</summary>
    private static byte[] Reference(byte[] input, bool toLf, bool quote)
    {
        var output = new List<byte>();
        var start = 0;
        while (start < input.Length)
        {
            var lf = Array.IndexOf(input, (byte)'\n', start);
            var end = lf < 0 ? input.Length : lf + 1;
            var line = input[start..end].ToList();
            if (quote)
            {
                var text = Encoding.ASCII.GetString(line.ToArray()).TrimStart('>');
                if (text.StartsWith("From ", StringComparison.Ordinal))
                {
                    line.Insert(0, (byte)'>');
                }
            }

            if (toLf && lf >= 0 && line.Count >= 2 && line[^2] == (byte)'\r')
            {
                line.RemoveAt(line.Count - 2);
            }

            output.AddRange(line);
            start = end;
        }

        return output.ToArray();
    }

    [Theory]
    [InlineData(LineEnds.Lf, false)]
    [InlineData(LineEnds.Lf, true)]
    [InlineData(LineEnds.Crlf, false)]
    [InlineData(LineEnds.Crlf, true)]
    public async Task Every_split_point_gives_the_reference_output(LineEnds lineEnds, bool quote)
    {
        var expected = Reference(Sample, lineEnds == LineEnds.Lf, quote);
        for (var cut = 0; cut <= Sample.Length; cut++)
        {
            using var output = new MemoryStream();
            var result = await MessageCopier.CopyAsync(Bodies.Split(Sample, cut), output, lineEnds, quote, CancellationToken.None);
            Assert.True(expected.AsSpan().SequenceEqual(output.ToArray()), $"cut at {cut}: {Encoding.ASCII.GetString(output.ToArray())}");
            Assert.Equal(expected.Length, result.Written);
            Assert.False(result.EndsWithLineEnd);
        }

        using var slow = new MemoryStream();
        await MessageCopier.CopyAsync(Bodies.ByteByByte(Sample), slow, lineEnds, quote, CancellationToken.None);
        Assert.Equal(expected, slow.ToArray());
    }

    [Fact]
    public async Task Lines_longer_than_what_is_held_back_are_written_in_pieces_and_keep_their_crlf_conversion()
    {
        var longLine = new string('y', MessageCopier.MaxHeldLine * 3 + 7);
        var input = Encoding.ASCII.GetBytes($"From x\r\n{longLine}\r\nFrom y\r\n");
        foreach (var cut in new[] { 8, 8 + MessageCopier.MaxHeldLine + 1, 8 + longLine.Length, 8 + longLine.Length + 1 })
        {
            using var output = new MemoryStream();
            var result = await MessageCopier.CopyAsync(Bodies.Split(input, cut), output, LineEnds.Lf, mboxQuote: true, CancellationToken.None);
            Assert.Equal(Encoding.ASCII.GetBytes($">From x\n{longLine}\n>From y\n"), output.ToArray());
            Assert.True(result.EndsWithLineEnd);
        }
    }

    [Theory]
    [InlineData("From ", true)]
    [InlineData(">>>From x", true)]
    [InlineData("From", false)]
    [InlineData(" From x", false)]
    [InlineData(">From", false)]
    [InlineData("", false)]
    public void Quoting_applies_to_any_run_of_gt_signs_before_from_space(string line, bool quoted) =>
        Assert.Equal(quoted, MessageCopier.NeedsQuote(Encoding.ASCII.GetBytes(line)));
}
