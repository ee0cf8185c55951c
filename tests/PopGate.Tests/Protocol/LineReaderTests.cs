using System.Buffers;
using System.Text;
using PopGate.Protocol;

namespace PopGate.Tests.Protocol;

public sealed class LineReaderTests
{
    [Theory]
    [InlineData("STAT\r\n", "STAT")]
    [InlineData("STAT\n", "STAT")]
    [InlineData("\r\n", "")]
    [InlineData("A\rB\r\n", "A\rB")]
    public void Reads_a_line_without_its_end(string input, string expected)
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(input));
        Assert.Equal(LineStatus.Line, LineReader.TryRead(ref buffer, 255, out var line));
        Assert.Equal(expected, Encoding.ASCII.GetString(line));
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void Every_prefix_needs_more_until_the_line_end()
    {
        var bytes = "RETR 1\r\n"u8.ToArray();
        for (var n = 0; n < bytes.Length; n++)
        {
            var buffer = new ReadOnlySequence<byte>(bytes, 0, n);
            Assert.Equal(LineStatus.NeedMore, LineReader.TryRead(ref buffer, 255, out _));
            Assert.Equal(n, buffer.Length);
        }
    }

    [Fact]
    public void A_line_split_over_segments_is_found()
    {
        var buffer = Segments("RE", "TR 1\r", "\nNOOP");
        Assert.Equal(LineStatus.Line, LineReader.TryRead(ref buffer, 255, out var line));
        Assert.Equal("RETR 1", Encoding.ASCII.GetString(line));
        Assert.Equal("NOOP", Encoding.ASCII.GetString(buffer));
    }

    [Fact]
    public void Long_lines_are_reported_and_skipped()
    {
        var complete = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(new string('x', 300) + "\r\nNOOP\r\n"));
        Assert.Equal(LineStatus.TooLong, LineReader.TryRead(ref complete, 255, out _));
        Assert.Equal(LineStatus.Line, LineReader.TryRead(ref complete, 255, out var next));
        Assert.Equal("NOOP", Encoding.ASCII.GetString(next));

        var endless = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(new string('x', 300)));
        Assert.Equal(LineStatus.Overflow, LineReader.TryRead(ref endless, 255, out _));
        Assert.True(endless.IsEmpty);

        var exact = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(new string('x', 255) + "\r\n"));
        Assert.Equal(LineStatus.Line, LineReader.TryRead(ref exact, 255, out _));
    }

    private static ReadOnlySequence<byte> Segments(params string[] parts)
    {
        Segment? first = null, last = null;
        foreach (var part in parts)
        {
            var segment = new Segment(Encoding.ASCII.GetBytes(part));
            if (first is null)
            {
                first = last = segment;
            }
            else
            {
                last = last!.Append(segment);
            }
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] bytes) => Memory = bytes;

        public Segment Append(Segment next)
        {
            next.RunningIndex = RunningIndex + Memory.Length;
            Next = next;
            return next;
        }
    }
}
