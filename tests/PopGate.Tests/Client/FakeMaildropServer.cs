using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using PopGate.Protocol;

namespace PopGate.Tests.Client;

/// <summary>
/// A small POP3 server over a <see cref="MemoryConnection"/> serving a list of messages. With a quiet period it
/// holds its replies until the client has stopped sending for that long, so <see cref="MaxQueued"/> shows how
/// many commands the client wrote ahead.
/// </summary>
internal sealed class FakeMaildropServer
{
    private readonly IReadOnlyList<byte[]> _messages;
    private readonly bool _pipelining;
    private readonly TimeSpan? _quiet;

    public FakeMaildropServer(IReadOnlyList<byte[]> messages, bool pipelining = true, TimeSpan? quiet = null)
    {
        _messages = messages;
        _pipelining = pipelining;
        _quiet = quiet;
    }

    public int MaxQueued { get; private set; }

    public List<string> Received { get; } = [];

    public HashSet<int> Deleted { get; } = [];

    /// <summary>When set, the connection is cut after this many octets of replies.</summary>
    public long? CutAfter { get; init; }

    public Task Run(MemoryConnection connection) => Task.Run(() => RunAsync(connection.ServerInput, connection.ServerOutput));

    /// <summary>Serves one connection over a stream (a loopback socket).</summary>
    public Task Run(Stream stream) => Task.Run(() => RunAsync(PipeReader.Create(stream), PipeWriter.Create(stream)));

    private async Task RunAsync(PipeReader input, PipeWriter output)
    {
        long sent = 0;
        var queue = new Queue<string>();
        try
        {
            if (!await SendAsync(output, "+OK fake server <42.1@fake>\r\n"u8.ToArray()))
            {
                return;
            }

            while (true)
            {
                var result = await ReadAsync(input, queue.Count > 0);
                if (result is null)
                {
                    // Quiet: answer what has piled up.
                    while (queue.TryDequeue(out var command))
                    {
                        if (!await AnswerAsync(output, command))
                        {
                            return;
                        }
                    }

                    continue;
                }

                var buffer = result.Value.Buffer;
                while (LineReader.TryRead(ref buffer, 1000, out var line) == LineStatus.Line)
                {
                    var text = Encoding.ASCII.GetString(line.ToArray());
                    Received.Add(text);
                    queue.Enqueue(text);
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                MaxQueued = Math.Max(MaxQueued, queue.Count);
                if (_quiet is null)
                {
                    while (queue.TryDequeue(out var command))
                    {
                        if (!await AnswerAsync(output, command))
                        {
                            return;
                        }
                    }
                }

                if (result.Value.IsCompleted)
                {
                    return;
                }
            }
        }
        finally
        {
            await output.CompleteAsync();
            await input.CompleteAsync();
        }

        async Task<bool> SendAsync(PipeWriter w, byte[] bytes)
        {
            if (CutAfter is { } cut && sent + bytes.Length > cut)
            {
                await w.WriteAsync(bytes.AsMemory(0, (int)Math.Max(0, cut - sent)));
                return false;
            }

            sent += bytes.Length;
            var flush = await w.WriteAsync(bytes);
            return !flush.IsCompleted;
        }

        async Task<bool> AnswerAsync(PipeWriter w, string command) =>
            await SendAsync(w, Reply(command)) && command != "QUIT";
    }

    private async Task<ReadResult?> ReadAsync(PipeReader input, bool waiting)
    {
        if (_quiet is null || !waiting)
        {
            return await input.ReadAsync();
        }

        using var quiet = new CancellationTokenSource(_quiet.Value);
        try
        {
            return await input.ReadAsync(quiet.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private byte[] Reply(string command)
    {
        var words = command.Split(' ');
        int Number(int i) => words.Length > i && int.TryParse(words[i], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
        bool Valid(int n) => n >= 1 && n <= _messages.Count && !Deleted.Contains(n);
        switch (words[0])
        {
            case "CAPA":
                return Encoding.ASCII.GetBytes("+OK\r\nUSER\r\nUIDL\r\nTOP\r\nSASL PLAIN\r\n" + (_pipelining ? "PIPELINING\r\n" : string.Empty) + ".\r\n");
            case "USER" or "PASS" or "NOOP" or "QUIT":
                return "+OK\r\n"u8.ToArray();
            case "RSET":
                Deleted.Clear();
                return "+OK\r\n"u8.ToArray();
            case "STAT":
                var live = Enumerable.Range(1, _messages.Count).Where(Valid).ToList();
                return Encoding.ASCII.GetBytes($"+OK {live.Count} {live.Sum(n => WireSize.Of(_messages[n - 1]))}\r\n");
            case "LIST" when words.Length == 1:
                return Listing(n => WireSize.Of(_messages[n - 1]).ToString(CultureInfo.InvariantCulture));
            case "UIDL" when words.Length == 1:
                return Listing(n => $"uid-{n}");
            case "DELE" when Valid(Number(1)):
                Deleted.Add(Number(1));
                return "+OK\r\n"u8.ToArray();
            case "RETR" when Valid(Number(1)):
                return Body(_messages[Number(1) - 1], -1);
            case "TOP" when Valid(Number(1)) && Number(2) >= 0:
                return Body(_messages[Number(1) - 1], Number(2));
            default:
                return "-ERR no such message or command\r\n"u8.ToArray();
        }

        byte[] Listing(Func<int, string> value)
        {
            var text = new StringBuilder("+OK\r\n");
            foreach (var n in Enumerable.Range(1, _messages.Count).Where(Valid))
            {
                text.Append(n).Append(' ').Append(value(n)).Append("\r\n");
            }

            return Encoding.ASCII.GetBytes(text.Append(".\r\n").ToString());
        }
    }

    private static byte[] Body(byte[] message, int lines)
    {
        var output = new ArrayBufferWriter<byte>();
        output.Write("+OK\r\n"u8);
        var stuffer = new DotStuffer(lines);
        stuffer.Write(message, output);
        stuffer.Complete(output);
        return output.WrittenSpan.ToArray();
    }
}
