using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace PopGate.Bench.Load;

/// <summary>A RETR run: what was fetched, how fast, and whether every body had the size LIST gave.</summary>
public sealed record RetrResult(int Messages, int Passes, int Window, long WireBytes, long BodyBytes, double Seconds, int SizeMismatches)
{
    /// <summary>Bytes on the wire (status lines and stuffing included) per second, in 10^6 bytes.</summary>
    public double MegabytesPerSecond => WireBytes / Seconds / 1e6;

    public double MessagesPerSecond => (double)Messages * Passes / Seconds;
}

/// <summary>
/// One session retrieves the whole maildrop <c>passes</c> times with <c>window</c> RETR commands in flight (sent as
/// replies complete, several per write), and checks each body's size against LIST. Nothing is deleted. The session
/// runs on a thread of its own with a blocking connection (see <see cref="Pop3Wire"/>).
/// </summary>
public static class RetrLoad
{
    private static readonly byte[] List = "LIST\r\n"u8.ToArray();
    private static readonly byte[] Quit = "QUIT\r\n"u8.ToArray();

    public static Task<RetrResult> RunAsync(IPEndPoint server, LoginCommands account, int window, int passes, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(
            // Every await below completes synchronously on this thread: the connection is blocking.
            () => SessionAsync(server, account, window, passes, cancellationToken).GetAwaiter().GetResult(),
            cancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

    private static async Task<RetrResult> SessionAsync(IPEndPoint server, LoginCommands account, int window, int passes, CancellationToken cancellationToken)
    {
        var wire = await Pop3Wire.LoginAsync(server, account, 1024 * 1024, cancellationToken, blocking: true).ConfigureAwait(false);
        await using (wire.ConfigureAwait(false))
        {
            await wire.ExpectOkAsync(List, cancellationToken).ConfigureAwait(false);
            var sizes = (await wire.ReadMultiLineAsync(cancellationToken).ConfigureAwait(false))
                .Select(l => long.Parse(l.AsSpan(l.IndexOf(' ', StringComparison.Ordinal) + 1), NumberStyles.None, CultureInfo.InvariantCulture))
                .ToArray();
            if (sizes.Length == 0)
            {
                throw new LoadException($"{account.Name}: the maildrop is empty");
            }

            var (commands, ends) = Commands(sizes.Length, passes);
            var total = ends.Length;
            var sent = 0;
            var done = 0;
            var mismatches = 0;
            var body = 0L;
            var wireBytes = 0L;
            var counter = new ReplyCounter();
            void Completed(long size)
            {
                if (size != sizes[done % sizes.Length])
                {
                    mismatches++;
                }

                body += size;
                done++;
            }

            var clock = Stopwatch.StartNew();
            while (done < total)
            {
                if (sent < total && sent - done < window)
                {
                    var upTo = Math.Min(total, done + window);
                    var from = sent == 0 ? 0 : ends[sent - 1];
                    await wire.SendAsync(commands.AsMemory(from, ends[upTo - 1] - from), cancellationToken).ConfigureAwait(false);
                    sent = upTo;
                }

                var received = await wire.FillAsync(cancellationToken).ConfigureAwait(false);
                if (received == 0)
                {
                    throw new LoadException($"the server closed the connection after {done} of {total} RETRs");
                }

                wireBytes += received;
                counter.Feed(wire.Pending, Completed);
                wire.Consume(wire.Pending.Length);
            }

            var seconds = clock.Elapsed.TotalSeconds;
            await wire.ExpectOkAsync(Quit, cancellationToken).ConfigureAwait(false);
            return new RetrResult(sizes.Length, passes, window, wireBytes, body, seconds, mismatches);
        }
    }

    /// <summary>All RETR command lines in order, and where each one ends.</summary>
    private static (byte[] Commands, int[] Ends) Commands(int messages, int passes)
    {
        var text = new StringBuilder();
        var ends = new int[messages * passes];
        for (var i = 0; i < ends.Length; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"RETR {(i % messages) + 1}\r\n");
            ends[i] = text.Length;
        }

        return (Encoding.ASCII.GetBytes(text.ToString()), ends);
    }
}
