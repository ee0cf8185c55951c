using System.Text;
using PopGate.Client;
using PopGate.Testing;

namespace PopGate.Tests.Client;

/// <summary>
/// The command engine: commands written ahead within the window of commands and of expected octets, never more;
/// lock-step without PIPELINING; thousands of RETRs over connections with tiny buffers without deadlock;
/// cancellation before and after a command was written; timeouts; and a cut connection failing everything pending.
/// </summary>
public sealed class PipelineTests
{
    private static List<byte[]> Messages(int count, int size) =>
        Enumerable.Range(1, count)
            .Select(n => Encoding.ASCII.GetBytes($"Subject: {n}\r\n\r\n" + new string((char)('a' + (n % 26)), Math.Max(0, size - 20)) + "\r\n.dot\r\n"))
            .ToList();

    private static async Task<(Pop3Client Client, Task Server)> ConnectAsync(FakeMaildropServer server, Pop3ClientOptions options, MemoryConnection? connection = null)
    {
        connection ??= new MemoryConnection();
        var run = server.Run(connection);
        var client = new Pop3Client(options);
        await client.ConnectAsync(connection.ClientStream);
        await client.CapaAsync();
        await client.LoginAsync("u", "p");
        return (client, run);
    }

    [Theory]
    [InlineData(true, 8, 1_000_000, 8)]
    [InlineData(true, 1000, 35_000, 3)]
    [InlineData(false, 1000, 1_000_000, 1)]
    public async Task Commands_in_flight_never_exceed_the_window(bool pipelining, int commands, long bytes, int expectedMax)
    {
        var messages = Messages(24, 10_000);
        var server = new FakeMaildropServer(messages, pipelining, quiet: TimeSpan.FromMilliseconds(40));
        var (client, run) = await ConnectAsync(server, new Pop3ClientOptions { MaxCommandsInFlight = commands, MaxBytesInFlight = bytes });
        await using (client)
        {
            Assert.Equal(pipelining, client.IsPipelining);
            await client.ListAsync();
            var bodies = messages.Select((_, i) => new MemoryStream()).ToList();
            await Task.WhenAll(bodies.Select((b, i) => client.RetrAsync(i + 1, b)));
            for (var i = 0; i < messages.Count; i++)
            {
                Assert.Equal(TestCorpus.ToWire(messages[i]), bodies[i].ToArray());
            }

            Assert.Equal(expectedMax, server.MaxQueued);
            await client.QuitAsync();
        }

        await run;
    }

    [Fact]
    public async Task Thousands_of_retrs_over_tiny_buffers_do_not_deadlock()
    {
        var messages = Messages(3000, 2000);
        var server = new FakeMaildropServer(messages);
        var connection = new MemoryConnection(pauseThreshold: 4096);
        var (client, run) = await ConnectAsync(server, new Pop3ClientOptions { MaxCommandsInFlight = 100_000, MaxBytesInFlight = long.MaxValue }, connection);
        await using (client)
        {
            var sizes = await client.ListAsync();
            var received = new long[messages.Count];
            var all = sizes.Select(m => client.RetrAsync(m.Number, async (body, ct) =>
            {
                var copy = new MemoryStream();
                await body.CopyToAsync(copy, ct);
                Assert.Equal(TestCorpus.ToWire(messages[m.Number - 1]), copy.ToArray());
                received[m.Number - 1] = copy.Length;
                return copy.Length;
            })).ToList();
            await Task.WhenAll(all).WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(sizes.Select(s => s.Size), received);
            await client.QuitAsync();
        }

        await run;
    }

    [Fact]
    public async Task Dele_queued_from_a_consumer_goes_out_while_later_bodies_still_arrive()
    {
        // A downloader that keeps a window's worth of RETRs queued and adds one more as each message is stored,
        // together with that message's DELE: the DELEs then travel between the RETRs instead of after them all.
        const int window = 10;
        var messages = Messages(50, 3000);
        var server = new FakeMaildropServer(messages);
        var (client, run) = await ConnectAsync(server, new Pop3ClientOptions { MaxCommandsInFlight = window });
        await using (client)
        {
            await client.ListAsync();
            var deletions = new List<Task>();
            var retrievals = new List<Task<int>>();
            Task<int> Retrieve(int n) => client.RetrAsync(n, async (body, ct) =>
            {
                await body.CopyToAsync(Stream.Null, ct);
                lock (deletions)
                {
                    deletions.Add(client.DeleAsync(n, CancellationToken.None));
                    if (n + window <= messages.Count)
                    {
                        retrievals.Add(Retrieve(n + window));
                    }
                }

                return n;
            });
            lock (deletions)
            {
                retrievals.AddRange(Enumerable.Range(1, window).Select(Retrieve));
            }

            while (true)
            {
                Task[] pending;
                lock (deletions)
                {
                    pending = [.. retrievals, .. deletions];
                }

                await Task.WhenAll(pending);
                if (pending.Length == 2 * messages.Count)
                {
                    break;
                }
            }

            await client.QuitAsync();
        }

        await run;
        Assert.Equal(50, server.Deleted.Count);
        Assert.True(server.Received.IndexOf("DELE 1") < server.Received.IndexOf("RETR 50"), "DELE 1 should go out before the last RETR");
    }

    [Fact]
    public async Task A_command_cancelled_while_queued_is_never_sent()
    {
        var server = new FakeMaildropServer(Messages(3, 100), pipelining: false);
        var (client, run) = await ConnectAsync(server, Pop3ClientOptions.Default);
        await using (client)
        {
            using var cancel = new CancellationTokenSource();
            Task first;
            Task second;
            Task<Pop3Stat> third;

            // Nothing is written until the cancellation happened, so NOOP's reply cannot release DELE before it.
            using (client.HoldWrites())
            {
                first = client.NoopAsync();
                second = client.DeleAsync(2, cancel.Token);
                cancel.Cancel();
                third = client.StatAsync();
            }

            await first;
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
            Assert.Equal(3, (await third).Count);
            Assert.DoesNotContain("DELE 2", server.Received);
            await client.QuitAsync();
        }

        await run;
    }

    [Fact]
    public async Task A_retr_cancelled_mid_body_is_read_past_so_later_replies_stay_in_step()
    {
        var messages = Messages(3, 200_000);
        var server = new FakeMaildropServer(messages);
        var (client, run) = await ConnectAsync(server, Pop3ClientOptions.Default);
        await using (client)
        {
            using var cancel = new CancellationTokenSource();
            var cancelled = client.RetrAsync(1, async (body, ct) =>
            {
                await body.ReadAsync(ct);
                cancel.Cancel();
                await body.ReadAsync(ct);
                return 0;
            }, cancel.Token);
            var second = new MemoryStream();
            var next = client.RetrAsync(2, second);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
            await next;
            Assert.Equal(TestCorpus.ToWire(messages[1]), second.ToArray());
            Assert.True(client.IsConnected);
            await client.QuitAsync();
        }

        await run;
    }

    [Fact]
    public async Task A_consumer_that_stops_early_or_throws_fails_only_its_own_command()
    {
        var messages = Messages(3, 50_000);
        var server = new FakeMaildropServer(messages);
        var (client, run) = await ConnectAsync(server, Pop3ClientOptions.Default);
        await using (client)
        {
            var early = client.RetrAsync(1, async (body, ct) => (await body.ReadAsync(ct)).Buffer.Length > 0);
            var throwing = client.RetrAsync<int>(2, (_, _) => throw new InvalidDataException("disk full"));
            var third = new MemoryStream();
            var last = client.RetrAsync(3, third);
            Assert.True(await early);
            var error = await Assert.ThrowsAsync<InvalidDataException>(() => throwing);
            Assert.Equal("disk full", error.Message);
            await last;
            Assert.Equal(TestCorpus.ToWire(messages[2]), third.ToArray());
            await client.QuitAsync();
        }

        await run;
    }

    [Fact]
    public async Task A_connection_cut_mid_body_fails_every_pending_command()
    {
        var messages = Messages(10, 30_000);
        var server = new FakeMaildropServer(messages) { CutAfter = 200 + 30_000 * 3 + 15_000 };
        var (client, run) = await ConnectAsync(server, Pop3ClientOptions.Default);
        await using (client)
        {
            var all = Enumerable.Range(1, 10).Select(n => client.RetrAsync(n, Stream.Null)).ToList();
            var outcomes = await Task.WhenAll(all.Select(t => t.ContinueWith(x => x.Exception?.InnerException)));
            Assert.All(outcomes.Take(2), e => Assert.Null(e));
            Assert.All(outcomes.Skip(4), e => Assert.IsType<Pop3ConnectionException>(e));
            Assert.False(client.IsConnected);
            await Assert.ThrowsAsync<Pop3ConnectionException>(() => client.NoopAsync());
        }

        await run;
    }

    [Fact]
    public async Task Nothing_queued_behind_quit_is_sent()
    {
        var server = new FakeMaildropServer(Messages(2, 100));
        var (client, run) = await ConnectAsync(server, Pop3ClientOptions.Default);
        await using (client)
        {
            var quit = client.QuitAsync();
            var late = client.DeleAsync(1);
            await quit;
            await Assert.ThrowsAsync<Pop3ConnectionException>(() => late);
            await Assert.ThrowsAsync<Pop3ConnectionException>(() => client.NoopAsync());
        }

        await run;
        Assert.Equal("QUIT", server.Received[^1]);
        Assert.Empty(server.Deleted);
    }

    [Fact]
    public async Task A_silent_server_times_out_on_the_command_limit()
    {
        var clock = new ManualClock();
        var connection = new MemoryConnection();
        await connection.ServerOutput.WriteAsync("+OK\r\n"u8.ToArray());
        await using var client = new Pop3Client(new Pop3ClientOptions { ConnectTimeout = TimeSpan.FromHours(1), CommandTimeout = TimeSpan.FromSeconds(30), TimeProvider = clock });
        await client.ConnectAsync(connection.ClientStream);
        var noop = client.NoopAsync();
        await clock.WhenArmedAsync(TimeSpan.FromSeconds(30));
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False(noop.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(2));
        var error = await Assert.ThrowsAsync<Pop3TimeoutException>(() => noop);
        Assert.Equal(TimeSpan.FromSeconds(30), error.Limit);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task A_body_that_stalls_times_out_on_the_idle_limit()
    {
        var clock = new ManualClock();
        var connection = new MemoryConnection();
        await connection.ServerOutput.WriteAsync("+OK\r\n"u8.ToArray());
        var options = new Pop3ClientOptions { ConnectTimeout = TimeSpan.FromHours(1), CommandTimeout = TimeSpan.FromSeconds(30), IdleTimeout = TimeSpan.FromSeconds(5), TimeProvider = clock };
        await using var client = new Pop3Client(options);
        await client.ConnectAsync(connection.ClientStream);
        var retr = client.RetrAsync(1, Stream.Null);
        await connection.ServerOutput.WriteAsync("+OK\r\nSubject: half a message\r\n"u8.ToArray());
        await clock.WhenArmedAsync(TimeSpan.FromSeconds(5));
        clock.Advance(TimeSpan.FromSeconds(6));
        var error = await Assert.ThrowsAsync<Pop3TimeoutException>(() => retr);
        Assert.Equal(TimeSpan.FromSeconds(5), error.Limit);
    }

    [Fact]
    public async Task A_server_that_never_greets_times_out_on_the_connect_limit()
    {
        var clock = new ManualClock();
        var connection = new MemoryConnection();
        await using var client = new Pop3Client(new Pop3ClientOptions { ConnectTimeout = TimeSpan.FromSeconds(10), CommandTimeout = TimeSpan.FromMinutes(5), TimeProvider = clock });
        var connect = client.ConnectAsync(connection.ClientStream);
        await clock.WhenArmedAsync(TimeSpan.FromSeconds(10));
        clock.Advance(TimeSpan.FromSeconds(11));
        await Assert.ThrowsAsync<Pop3TimeoutException>(() => connect);
    }

    [Fact]
    public async Task Arguments_that_would_break_the_command_line_are_refused()
    {
        var connection = new MemoryConnection();
        await connection.ServerOutput.WriteAsync("+OK\r\n"u8.ToArray());
        await using var client = new Pop3Client();
        await client.ConnectAsync(connection.ClientStream);
        // Refused synchronously, before anything is queued.
        Assert.Throws<ArgumentException>(() => { _ = client.LoginAsync("me\r\nDELE 1", "x"); });
        Assert.Throws<ArgumentException>(() => { _ = client.LoginAsync("me", new string('p', 300)); });
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = client.RetrAsync(0, Stream.Null); });
    }
}
