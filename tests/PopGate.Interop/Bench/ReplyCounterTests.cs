using System.Text;
using PopGate.Bench.Load;

namespace PopGate.Interop.Bench;

/// <summary>The load client's RETR reply counter: body sizes as LIST gives them, for every way the bytes may arrive.</summary>
public sealed class ReplyCounterTests
{
    // Bodies as a client stores them, and the replies a server sends for them (stuffed, terminated).
    private static readonly string[] Bodies =
    [
        "Subject: a\r\n\r\nplain\r\n",
        ".\r\n..\r\n.x\r\n",
        "Subject: b\r\n\r\n\r\n.\r\nend\r\n",
        string.Empty,
        "line with a bare \r inside\r\n.\r more\r\n",
    ];

    private static byte[] Stream()
    {
        var text = new StringBuilder();
        foreach (var body in Bodies)
        {
            text.Append("+OK ").Append(Encoding.UTF8.GetByteCount(body)).Append(" octets\r\n");
            foreach (var line in body.Split("\r\n")[..^1])
            {
                text.Append(line.StartsWith('.') ? "." : string.Empty).Append(line).Append("\r\n");
            }

            text.Append(".\r\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    [Fact]
    public void Counts_each_body_for_every_split_of_the_stream()
    {
        var stream = Stream();
        var expected = Bodies.Select(b => (long)Encoding.UTF8.GetByteCount(b)).ToList();
        for (var split = 0; split <= stream.Length; split++)
        {
            var sizes = new List<long>();
            var counter = new ReplyCounter();
            counter.Feed(stream.AsSpan(0, split), sizes.Add);
            counter.Feed(stream.AsSpan(split), sizes.Add);
            Assert.Equal(expected, sizes);
        }
    }

    [Fact]
    public void Counts_each_body_fed_one_byte_at_a_time()
    {
        var sizes = new List<long>();
        var counter = new ReplyCounter();
        foreach (var b in Stream())
        {
            counter.Feed([b], sizes.Add);
        }

        Assert.Equal(Bodies.Select(b => (long)Encoding.UTF8.GetByteCount(b)), sizes);
    }

    [Fact]
    public void An_error_reply_stops_the_count()
    {
        var counter = new ReplyCounter();
        var error = Assert.Throws<LoadException>(() => counter.Feed("-ERR no such message\r\n"u8, _ => { }));
        Assert.Contains("no such message", error.Message, StringComparison.Ordinal);
    }
}
