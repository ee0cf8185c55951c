using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace PopGate.Bench.Load;

/// <summary>An IMAP download run: messages and their bytes (the BODY[] literals), and how long it took.</summary>
public sealed record ImapFetchResult(int Messages, long BodyBytes, double Seconds)
{
    public double MegabytesPerSecond => BodyBytes / Seconds / 1e6;

    public double MessagesPerSecond => Messages / Seconds;
}

/// <summary>
/// The IMAP baseline: what a good IMAP client does to download a whole folder, measured on the same messages as the
/// POP3 RETR runs. LOGIN, SELECT, UID SEARCH ALL, then one <c>UID FETCH uid (BODY.PEEK[])</c> per message with
/// <c>window</c> commands in flight, literals counted and skipped in place. Blocking socket on a thread of its own,
/// as <see cref="RetrLoad"/>, so both clients cost the same.
/// </summary>
public static class ImapFetchLoad
{
    /// <param name="wholeFolder">One <c>UID FETCH 1:* (BODY.PEEK[])</c> for everything instead of one command per
    /// message: the fastest way IMAP has to read a folder.</param>
    public static Task<ImapFetchResult> RunAsync(IPEndPoint server, string user, string password, int window, bool wholeFolder, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(
            () => SessionAsync(server, user, password, window, wholeFolder, cancellationToken).GetAwaiter().GetResult(),
            cancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

    private static async Task<ImapFetchResult> SessionAsync(IPEndPoint server, string user, string password, int window, bool wholeFolder, CancellationToken cancellationToken)
    {
        var wire = await Pop3Wire.ConnectAsync(server, 1024 * 1024, cancellationToken, blocking: true).ConfigureAwait(false);
        await using (wire.ConfigureAwait(false))
        {
            wire.QuickAck = true;
            var reader = new Reader(wire);
            await reader.CommandAsync(null, cancellationToken).ConfigureAwait(false);
            await reader.CommandAsync($"L LOGIN \"{user}\" \"{password}\"", cancellationToken).ConfigureAwait(false);
            await reader.CommandAsync("S EXAMINE INBOX", cancellationToken).ConfigureAwait(false);
            var search = await reader.CommandAsync("U UID SEARCH ALL", cancellationToken).ConfigureAwait(false);
            var uids = search.Where(l => l.StartsWith("* SEARCH", StringComparison.Ordinal))
                .SelectMany(l => l[8..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Select(u => uint.Parse(u, NumberStyles.None, CultureInfo.InvariantCulture))
                .ToArray();
            if (uids.Length == 0)
            {
                throw new LoadException("the IMAP folder is empty");
            }

            var clock = Stopwatch.StartNew();
            if (wholeFolder)
            {
                await wire.SendAsync("F0 UID FETCH 1:* (BODY.PEEK[])\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
                while (reader.Completed == 0)
                {
                    await reader.ReceiveAsync(cancellationToken).ConfigureAwait(false);
                }

                var whole = clock.Elapsed.TotalSeconds;
                await reader.CommandAsync("Z LOGOUT", cancellationToken).ConfigureAwait(false);
                return new ImapFetchResult(uids.Length, reader.LiteralBytes, whole);
            }

            var sent = 0;
            while (reader.Completed < uids.Length)
            {
                if (sent < uids.Length && sent - reader.Completed < window)
                {
                    var text = new StringBuilder();
                    for (var upTo = Math.Min(uids.Length, reader.Completed + window); sent < upTo; sent++)
                    {
                        text.Append(CultureInfo.InvariantCulture, $"F{sent} UID FETCH {uids[sent]} (BODY.PEEK[])\r\n");
                    }

                    await wire.SendAsync(Encoding.ASCII.GetBytes(text.ToString()), cancellationToken).ConfigureAwait(false);
                }

                await reader.ReceiveAsync(cancellationToken).ConfigureAwait(false);
            }

            var seconds = clock.Elapsed.TotalSeconds;
            await reader.CommandAsync("Z LOGOUT", cancellationToken).ConfigureAwait(false);
            return new ImapFetchResult(uids.Length, reader.LiteralBytes, seconds);
        }
    }

    /// <summary>Splits the server's bytes into lines and literals; counts literal bytes and tagged OKs of FETCHes.</summary>
    private sealed class Reader(Pop3Wire wire)
    {
        private long _literalLeft;

        public long LiteralBytes { get; private set; }

        public int Completed { get; private set; }

        /// <summary>Sends a command (null: reads the greeting) and returns the lines up to its tagged reply.</summary>
        public async Task<List<string>> CommandAsync(string? command, CancellationToken cancellationToken)
        {
            if (command is not null)
            {
                await wire.SendAsync(Encoding.UTF8.GetBytes(command + "\r\n"), cancellationToken).ConfigureAwait(false);
            }

            var tag = command is null ? "*" : command[..command.IndexOf(' ', StringComparison.Ordinal)];
            var lines = new List<string>();
            while (true)
            {
                while (TryLine(out var line))
                {
                    var text = Encoding.UTF8.GetString(line).TrimEnd();
                    lines.Add(text);
                    if (text.StartsWith(tag + " ", StringComparison.Ordinal) && (command is not null || lines.Count == 1))
                    {
                        if (!text.AsSpan(tag.Length + 1).StartsWith("OK", StringComparison.Ordinal))
                        {
                            throw new LoadException($"IMAP {command?.Split(' ')[1] ?? "greeting"}: {text}");
                        }

                        return lines;
                    }
                }

                await FillAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>Takes everything that has arrived: literals are counted, tagged FETCH replies checked.</summary>
        public async Task ReceiveAsync(CancellationToken cancellationToken)
        {
            await FillAsync(cancellationToken).ConfigureAwait(false);
            while (TryLine(out var line))
            {
                if (line.Length > 0 && line[0] == (byte)'F')
                {
                    var space = line.IndexOf((byte)' ');
                    if (!line[(space + 1)..].StartsWith("OK"u8))
                    {
                        throw new LoadException("IMAP FETCH: " + Encoding.UTF8.GetString(line).TrimEnd());
                    }

                    Completed++;
                }
            }
        }

        private async Task FillAsync(CancellationToken cancellationToken)
        {
            if (await wire.FillAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                throw new LoadException("the IMAP server closed the connection");
            }
        }

        /// <summary>The next whole line, with literals skipped (and counted) wherever they are.</summary>
        private bool TryLine(out ReadOnlySpan<byte> line)
        {
            line = default;
            while (true)
            {
                if (_literalLeft > 0)
                {
                    var take = (int)Math.Min(_literalLeft, wire.Pending.Length);
                    wire.Consume(take);
                    _literalLeft -= take;
                    LiteralBytes += take;
                    if (_literalLeft > 0)
                    {
                        return false;
                    }
                }

                var pending = wire.Pending;
                var lf = pending.IndexOf((byte)'\n');
                if (lf < 0)
                {
                    return false;
                }

                var text = pending[..(lf + 1)];
                wire.Consume(lf + 1);
                var trimmed = text.TrimEnd("\r\n"u8);
                if (trimmed.EndsWith("}"u8) && trimmed.LastIndexOf((byte)'{') is var open and >= 0
                    && Utf8Parser.TryParse(trimmed[(open + 1)..^1], out long size, out var used) && used == trimmed.Length - open - 2)
                {
                    // The rest of this response continues after the literal; only its final line matters here.
                    _literalLeft = size;
                    continue;
                }

                line = text;
                return true;
            }
        }
    }
}
