using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace PopGate.Interop.Jmap;

/// <summary>
/// Just enough IMAP to fill a Cyrus mailbox and read back what Cyrus itself serves: LOGIN, APPEND with LITERAL+
/// (pipelined), SELECT, CREATE, and UID FETCH BODY.PEEK[] with literals (and literal8) read exactly.
/// </summary>
internal sealed class RawImap : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly Stream _stream;
    private int _tag;

    private RawImap(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = new BufferedStream(tcp.GetStream(), 64 * 1024);
    }

    public static async Task<RawImap> LoginAsync(int port, string user, string password)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync("127.0.0.1", port);
        var imap = new RawImap(tcp);
        await imap.ReadLineAsync();
        await imap.RequireOkAsync($"LOGIN \"{user}\" \"{password}\"");
        return imap;
    }

    /// <summary>Appends each message to INBOX; true for each one the server took.</summary>
    public async Task<bool[]> AppendAsync(IReadOnlyList<byte[]> messages, string mailbox = "INBOX")
    {
        var accepted = new bool[messages.Count];
        foreach (var batch in Enumerable.Range(0, messages.Count).Chunk(50))
        {
            var tags = new List<(string Tag, int Index)>();
            foreach (var i in batch)
            {
                var tag = NextTag();
                await WriteAsync($"{tag} APPEND {mailbox} {{{messages[i].Length}+}}\r\n");
                await _stream.WriteAsync(messages[i]);
                await WriteAsync("\r\n");
                tags.Add((tag, i));
            }

            await _stream.FlushAsync();
            foreach (var (tag, index) in tags)
            {
                var line = await ReadTaggedAsync(tag);
                accepted[index] = line.StartsWith(tag + " OK", StringComparison.Ordinal);
            }
        }

        return accepted;
    }

    /// <summary>Every message of the mailbox as BODY.PEEK[] returns it, by UID.</summary>
    public async Task<SortedDictionary<long, byte[]>> FetchAllAsync(string mailbox = "INBOX")
    {
        await RequireOkAsync($"SELECT {mailbox}");
        var tag = NextTag();
        await WriteAsync($"{tag} UID FETCH 1:* (UID BODY.PEEK[])\r\n");
        await _stream.FlushAsync();
        var bodies = new SortedDictionary<long, byte[]>();
        while (true)
        {
            var line = await ReadLineAsync();
            if (line.StartsWith(tag + " ", StringComparison.Ordinal))
            {
                return line.StartsWith(tag + " OK", StringComparison.Ordinal) ? bodies : throw new InvalidOperationException(line);
            }

            var uidAt = line.IndexOf("UID ", StringComparison.Ordinal);
            var open = line.LastIndexOf('{');
            if (!line.StartsWith("* ", StringComparison.Ordinal) || uidAt < 0 || open < 0 || !line.EndsWith('}'))
            {
                continue;
            }

            var uid = long.Parse(line[(uidAt + 4)..].Split(' ', ')')[0], CultureInfo.InvariantCulture);
            var length = int.Parse(line[(open + 1)..^1], CultureInfo.InvariantCulture);
            var body = new byte[length];
            await _stream.ReadExactlyAsync(body);
            bodies[uid] = body;
            // The rest of the FETCH response: ")" and maybe more items.
            await ReadLineAsync();
        }
    }

    public async Task<string> RequireOkAsync(string command)
    {
        var tag = NextTag();
        await WriteAsync($"{tag} {command}\r\n");
        await _stream.FlushAsync();
        var line = await ReadTaggedAsync(tag);
        return line.StartsWith(tag + " OK", StringComparison.Ordinal) ? line : throw new InvalidOperationException($"{command.Split(' ')[0]}: {line}");
    }

    private string NextTag() => "T" + (++_tag).ToString(CultureInfo.InvariantCulture);

    private async Task<string> ReadTaggedAsync(string tag)
    {
        while (true)
        {
            var line = await ReadLineAsync();
            if (line.StartsWith(tag + " ", StringComparison.Ordinal))
            {
                return line;
            }
        }
    }

    private async Task WriteAsync(string text) => await _stream.WriteAsync(Encoding.UTF8.GetBytes(text));

    private async Task<string> ReadLineAsync()
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (await _stream.ReadAsync(one, timeout.Token) == 0)
            {
                throw new IOException("IMAP connection closed");
            }

            if (one[0] == (byte)'\n')
            {
                return Encoding.UTF8.GetString(bytes.ToArray()).TrimEnd('\r');
            }

            bytes.Add(one[0]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await WriteAsync("Z LOGOUT\r\n");
            await _stream.FlushAsync();
        }
        catch (IOException)
        {
        }

        _tcp.Dispose();
    }
}
