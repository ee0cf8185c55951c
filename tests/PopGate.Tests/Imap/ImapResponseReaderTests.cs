using System.IO.Pipelines;
using System.Text;
using PopGate.Imap;
using PopGate.Stores;

namespace PopGate.Tests.Imap;

public sealed class ImapResponseReaderTests
{
    private sealed class Handler(IMessageSink? sink) : IResponseHandler
    {
        public List<string> Sections { get; } = [];

        public IMessageSink? SinkFor(FetchData fetch, string section, long length)
        {
            Sections.Add($"{fetch.Sequence}:{section}:{length}");
            return sink;
        }
    }

    /// <summary>Feeds the bytes into a pipe in pieces of <paramref name="piece"/> octets, flushing each.</summary>
    private static ImapResponseReader Reader(byte[] bytes, int piece, ImapLimits? limits = null, bool complete = true)
    {
        var pipe = new Pipe();
        _ = Task.Run(async () =>
        {
            for (var i = 0; i < bytes.Length; i += piece)
            {
                await pipe.Writer.WriteAsync(bytes.AsMemory(i, Math.Min(piece, bytes.Length - i)));
            }

            if (complete)
            {
                await pipe.Writer.CompleteAsync();
            }
        });
        return new ImapResponseReader(pipe.Reader, limits ?? new ImapLimits());
    }

    private static IoTimer Timer(double seconds = 10) => new(TimeSpan.FromSeconds(seconds), CancellationToken.None);

    private const string Interleaved =
        "* 3 EXISTS\r\n"
        + "* 1 FETCH (UID 5 RFC822.SIZE 10 FLAGS (\\Seen $Junk))\r\n"
        + "* OK [UIDVALIDITY 9] UIDs valid\r\n"
        + "* 2 FETCH (FLAGS (\\Deleted))\r\n"
        + "* LIST (\\Noselect) \"/\" {3}\r\nfoo\r\n"
        + "* 1 FETCH (BODY[] {10}\r\n0123\r\n6789 UID 5 ENVELOPE (\"a\" {2}\r\n() NIL))\r\n"
        + "* SEARCH 1 2\r\n"
        + "+ go on\r\n"
        + "* 4 EXPUNGE\r\n"
        + "A1 OK [READ-WRITE] done\r\n";

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task Reads_untagged_responses_interleaved_with_fetch_data(int piece)
    {
        var sink = new MemorySink();
        var handler = new Handler(sink);
        var reader = Reader(Encoding.UTF8.GetBytes(Interleaved), piece);
        using var timer = Timer();
        var responses = new List<ImapResponse>();
        for (var i = 0; i < 10; i++)
        {
            responses.Add(await reader.ReadAsync(handler, timer));
        }

        Assert.Equal(new ImapNumberedResponse(3, "EXISTS"), responses[0]);
        var first = Assert.IsType<ImapFetchResponse>(responses[1]).Data;
        Assert.Equal((1L, 5u, 10L), (first.Sequence, first.Uid!.Value, first.Size!.Value));
        Assert.Equal(["\\Seen", "$Junk"], first.Flags!);
        Assert.Equal(new ImapStatusResponse(null, ImapStatus.Ok, "UIDVALIDITY", "9", "UIDs valid"), responses[2]);
        Assert.True(Assert.IsType<ImapFetchResponse>(responses[3]).Data.HasFlag("\\deleted"));
        Assert.Equal(new ImapDataResponse("LIST", string.Empty), responses[4]);
        var body = Assert.IsType<ImapFetchResponse>(responses[5]).Data;
        Assert.Equal(5u, body.Uid);
        Assert.Equal(10L, body.StreamedSections["BODY[]"]);
        Assert.Equal("0123\r\n6789", Encoding.UTF8.GetString(sink.Bytes));
        Assert.Equal(["1:BODY[]:10"], handler.Sections);
        Assert.Equal(new ImapDataResponse("SEARCH", "1 2"), responses[6]);
        Assert.Equal(new ImapContinuation("go on"), responses[7]);
        Assert.Equal(new ImapNumberedResponse(4, "EXPUNGE"), responses[8]);
        Assert.Equal(new ImapStatusResponse("A1", ImapStatus.Ok, "READ-WRITE", null, "done"), responses[9]);
    }

    [Fact]
    public async Task Streams_a_literal_in_chunks_as_it_arrives()
    {
        var message = new byte[300_000];
        new Random(5).NextBytes(message);
        var head = Encoding.ASCII.GetBytes($"* 9 FETCH (UID 77 BODY[] {{{message.Length}}}\r\n");
        var reader = Reader([.. head, .. message, .. ")\r\nA2 OK x\r\n"u8], 8192);
        var sink = new MemorySink();
        using var timer = Timer();
        var fetch = Assert.IsType<ImapFetchResponse>(await reader.ReadAsync(new Handler(sink), timer));
        Assert.Equal(message, sink.Bytes);
        Assert.True(sink.Writes > 10, "the literal must arrive in several writes, never whole");
        Assert.Equal(77u, fetch.Data.Uid);
        Assert.IsType<ImapStatusResponse>(await reader.ReadAsync(null, timer));
    }

    [Fact]
    public async Task A_sink_that_has_enough_stops_receiving_but_the_rest_is_read_past()
    {
        var reader = Reader("* 1 FETCH (BODY[TEXT]<0> {12}\r\nline1\r\nline2 UID 3)\r\n* 2 EXISTS\r\n"u8.ToArray(), 3);
        var sink = new MemorySink(stopAfter: 4);
        using var timer = Timer();
        var fetch = Assert.IsType<ImapFetchResponse>(await reader.ReadAsync(new Handler(sink), timer));
        Assert.Equal(3u, fetch.Data.Uid);
        Assert.StartsWith("line", Encoding.ASCII.GetString(sink.Bytes), StringComparison.Ordinal);
        Assert.Equal(0, sink.WritesAfterStop);
        Assert.Equal(new ImapNumberedResponse(2, "EXISTS"), await reader.ReadAsync(null, timer));
    }

    [Fact]
    public async Task Literal8_quoted_and_nil_sections_all_reach_the_sink_or_the_fetch_data()
    {
        var reader = Reader("* 1 FETCH (UID 1 BODY[] ~{3}\r\na\0b)\r\n* 2 FETCH (UID 2 BODY[] \"q\\\"x\")\r\n* 3 FETCH (UID 3 BODY[] NIL)\r\n"u8.ToArray(), 1);
        using var timer = Timer();
        var binary = new MemorySink();
        await reader.ReadAsync(new Handler(binary), timer);
        Assert.Equal("a\0b"u8.ToArray(), binary.Bytes);
        var quoted = new MemorySink();
        var second = Assert.IsType<ImapFetchResponse>(await reader.ReadAsync(new Handler(quoted), timer));
        Assert.Equal("q\"x"u8.ToArray(), quoted.Bytes);
        Assert.Equal(3L, second.Data.StreamedSections["BODY[]"]);
        var nil = Assert.IsType<ImapFetchResponse>(await reader.ReadAsync(null, timer));
        Assert.Empty(nil.Data.Sections["BODY[]"]);
    }

    [Fact]
    public async Task Small_sections_without_a_sink_are_kept_and_large_ones_dropped()
    {
        var limits = new ImapLimits { MaxKeptLiteral = 4 };
        var reader = Reader("* 1 FETCH (UID 1 BODY[]<8> {2}\r\n\r\n)\r\n* 2 FETCH (UID 2 BODY[] {5}\r\nabcde)\r\n"u8.ToArray(), 1, limits);
        using var timer = Timer();
        var small = Assert.IsType<ImapFetchResponse>(await reader.ReadAsync(null, timer));
        Assert.Equal("\r\n"u8.ToArray(), small.Data.Sections["BODY[]<8>"]);
        var large = Assert.IsType<ImapFetchResponse>(await reader.ReadAsync(null, timer));
        Assert.Empty(large.Data.Sections);
        Assert.Equal(2u, large.Data.Uid);
    }

    [Fact]
    public async Task Refuses_a_line_longer_than_the_limit()
    {
        var reader = Reader(Encoding.ASCII.GetBytes("* OK " + new string('x', 500) + "\r\n"), 64, new ImapLimits { MaxLineLength = 100 });
        using var timer = Timer();
        await Assert.ThrowsAsync<ImapProtocolException>(async () => await reader.ReadAsync(null, timer));
    }

    [Fact]
    public async Task Refuses_a_literal_over_the_size_limit()
    {
        var reader = Reader("* 1 FETCH (BODY[] {1000}\r\n"u8.ToArray(), 1, new ImapLimits { MaxLiteralSize = 999 });
        using var timer = Timer();
        var e = await Assert.ThrowsAsync<ImapProtocolException>(async () => await reader.ReadAsync(new Handler(new MemorySink()), timer));
        Assert.Contains("limit", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_closed_mid_literal_throws()
    {
        var reader = Reader("* 1 FETCH (BODY[] {100}\r\nonly a part"u8.ToArray(), 4);
        using var timer = Timer();
        var e = await Assert.ThrowsAsync<ImapProtocolException>(async () => await reader.ReadAsync(new Handler(new MemorySink()), timer));
        Assert.Contains("closed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silent_server_times_out()
    {
        var reader = Reader("* 1 FETCH (UID"u8.ToArray(), 100, complete: false);
        using var timer = Timer(0.2);
        var e = await Assert.ThrowsAsync<ImapProtocolException>(async () => await reader.ReadAsync(null, timer));
        Assert.Contains("timed out", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("A1 FOO bar\r\n")]
    [InlineData("* 1 FETCH UID 3\r\n")]
    [InlineData("* 1 FETCH (UID x)\r\n")]
    [InlineData("* 1 FETCH (UID 3\r\n")]
    [InlineData("* 1 FETCH (FLAGS \\Seen)\r\n")]
    public async Task Malformed_responses_are_protocol_errors(string text)
    {
        var reader = Reader(Encoding.ASCII.GetBytes(text), 1);
        using var timer = Timer();
        await Assert.ThrowsAsync<ImapProtocolException>(async () => await reader.ReadAsync(null, timer));
    }

    private sealed class SlowSink(TimeSpan delay) : IMessageSink
    {
        public async ValueTask<bool> WriteAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
        {
            await Task.Delay(delay, cancellationToken);
            return true;
        }
    }

    [Fact]
    public async Task Time_spent_in_a_slow_sink_does_not_count_against_the_server()
    {
        // The sink takes longer than the timeout; the rest of the response comes later still. Only the waits for
        // the server are timed, so neither trips it.
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync("* 1 FETCH (BODY[] {6}\r\nabcdef"u8.ToArray());
        _ = Task.Run(async () =>
        {
            await Task.Delay(3000);
            await pipe.Writer.WriteAsync(")\r\n* 2 EXISTS\r\n"u8.ToArray());
        });
        var reader = new ImapResponseReader(pipe.Reader, new ImapLimits());
        // Wide margins (the server's own wait is 0.5 s of a 2 s timeout) keep a loaded machine from failing it.
        using var timer = Timer(2);
        await reader.ReadAsync(new Handler(new SlowSink(TimeSpan.FromMilliseconds(2500))), timer);
        Assert.Equal(new ImapNumberedResponse(2, "EXISTS"), await reader.ReadAsync(null, timer));
    }
}
