using System.Buffers;
using System.Text;
using PopGate.Protocol;

namespace PopGate.Tests.Client;

/// <summary>
/// Plays curl's POP3 test server for one <see cref="CurlTestCase"/>: its REPLY, CAPA and AUTH directives, its
/// data for RETR, TOP and LIST, and plain defaults otherwise.
/// </summary>
internal sealed class CurlTestServer
{
    private readonly CurlTestCase _test;
    private readonly Dictionary<string, string> _replies = new(StringComparer.Ordinal);
    private readonly List<string> _capabilities = [];
    private readonly List<string> _mechanisms = [];

    public CurlTestServer(CurlTestCase test)
    {
        _test = test;
        foreach (var line in test.ServerCommands)
        {
            var parts = line.Split(' ', 3);
            switch (parts[0])
            {
                case "REPLY":
                    _replies[parts[1]] = parts.Length > 2 ? parts[2].Replace("\\r\\n", "\r\n", StringComparison.Ordinal) : string.Empty;
                    break;
                case "CAPA":
                    _capabilities.AddRange(line.Split(' ').Skip(1));
                    break;
                case "AUTH":
                    _mechanisms.AddRange(line.Split(' ').Skip(1));
                    break;
                case "SLOWDOWN":
                    Slow = true;
                    break;
            }
        }
    }

    /// <summary>The test asks for replies trickling in; the client then reads one byte at a time.</summary>
    public bool Slow { get; }

    /// <summary>The client's lines, an AUTH initial response split off as the line curl would send after "+".</summary>
    public List<string> Received { get; } = [];

    public async Task RunAsync(MemoryConnection connection)
    {
        var output = connection.ServerOutput;
        var input = connection.ServerInput;
        await SendAsync(output, _replies.GetValueOrDefault("welcome") ?? "+OK curl POP3 server ready to serve");
        try
        {
            while (true)
            {
                var result = await input.ReadAsync();
                var buffer = result.Buffer;
                while (LineReader.TryRead(ref buffer, 10_000, out var line) == LineStatus.Line)
                {
                    var text = Encoding.UTF8.GetString(line.ToArray());
                    if (!await AnswerAsync(output, text))
                    {
                        return;
                    }
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        finally
        {
            await output.CompleteAsync();
        }
    }

    private async Task<bool> AnswerAsync(System.IO.Pipelines.PipeWriter output, string line)
    {
        var words = line.Split(' ');
        var verb = words[0];
        if (verb == "AUTH" && words.Length == 3)
        {
            // An initial response on the AUTH line is what curl sends as the line after an empty "+" challenge.
            Received.Add($"AUTH {words[1]}");
            Received.Add(words[2]);
            await SendAsync(output, _replies.GetValueOrDefault(words[2]) ?? "-ERR");
            return true;
        }

        Received.Add(line);
        if (_replies.TryGetValue(line, out var exact) || _replies.TryGetValue(verb, out exact))
        {
            await SendAsync(output, exact);
            return verb != "QUIT";
        }

        var data = Encoding.UTF8.GetString(_test.Data ?? []);
        var reply = verb switch
        {
            "CAPA" when _capabilities.Count + _mechanisms.Count > 0 =>
                "+OK capabilities\r\n" + string.Concat(_capabilities.Select(c => c + "\r\n"))
                + (_mechanisms.Count > 0 ? $"SASL {string.Join(' ', _mechanisms)}\r\n" : string.Empty) + ".",
            "CAPA" => "-ERR Unrecognized command",
            "USER" => "+OK We are happy you popped in!",
            "PASS" or "APOP" => "+OK Access granted",
            "RETR" or "TOP" => "+OK Mail transfer starts\r\n" + data + ".",
            "LIST" when words.Length > 1 => $"+OK {words[1]} 100",
            "LIST" => "+OK Listing starts\r\n" + (_test.Data is null ? "1 100\r\n2 4294967400\r\n3 200\r\n" : data) + ".",
            "UIDL" => "+OK Listing starts\r\n1 1\r\n2 2\r\n3 4\r\n.",
            "STAT" => "+OK 3 4294967700",
            "DELE" or "NOOP" or "RSET" => "+OK",
            "QUIT" => "+OK curl POP3 server signing off",
            _ => "-ERR Unrecognized command",
        };
        await SendAsync(output, reply);
        return verb != "QUIT";
    }

    private static async Task SendAsync(System.IO.Pipelines.PipeWriter output, string reply) =>
        await output.WriteAsync(Encoding.UTF8.GetBytes(reply + "\r\n"));
}
