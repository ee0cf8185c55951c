using System.Text;
using PopGate.Client;

namespace PopGate.Tests.Client;

/// <summary>
/// A whole session's replies cut at every possible byte: the client must fail with a connection error at the
/// cut, after giving correct results for every reply that arrived whole, and never hang or misread. Read whole,
/// one byte at a time, and through 16-octet buffers so lines span many segments.
/// </summary>
public sealed class EveryPrefixTests
{
    private const string Replies =
        "+OK ready <1.2@example>\r\n"
        + "+OK\r\nUSER\r\nUIDL\r\nTOP\r\nSASL PLAIN\r\n.\r\n"
        + "+OK\r\n"
        + "+OK 2 messages\r\n"
        + "+OK 2 34\r\n"
        + "+OK\r\n1 19\r\n2 15\r\n.\r\n"
        + "+OK\r\n1 a\r\n2 b\r\n.\r\n"
        + "+OK\r\nSubject: x\r\n\r\n..dot\r\n.\r\n"
        + "+OK\r\nSubject: y\r\n\r\n.\r\n"
        + "+OK\r\n"
        + "+OK bye\r\n";

    private static readonly string[] Expected =
    [
        "greeting <1.2@example>",
        "capa USER,UIDL,TOP,SASL PLAIN",
        "login",
        "stat 2 34",
        "list 1:19 2:15",
        "uidl 1:a 2:b",
        "retr Subject: x||.dot|",
        "top Subject: y||||",
        "dele",
        "quit",
    ];

    public static TheoryData<int, int> Modes() => new()
    {
        { int.MaxValue, 64 * 1024 },
        { 1, 64 * 1024 },
        { int.MaxValue, 16 },
    };

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Every_prefix_fails_cleanly_and_the_whole_succeeds(int maxRead, int readBuffer)
    {
        var all = Encoding.ASCII.GetBytes(Replies);
        Assert.Equal(Expected, await RunAsync(all, maxRead, readBuffer));
        for (var cut = 0; cut < all.Length; cut++)
        {
            var steps = new List<string>();
            var error = await Record.ExceptionAsync(async () => steps.AddRange(await RunAsync(all[..cut], maxRead, readBuffer, steps)));
            Assert.True(error is Pop3ConnectionException, $"cut at {cut}: {error?.GetType().Name ?? "no error"} {error?.Message}");
            Assert.Equal(Expected.Take(steps.Count), steps);
            Assert.True(steps.Count < Expected.Length);
        }
    }

    private static async Task<List<string>> RunAsync(byte[] served, int maxRead, int readBuffer, List<string>? steps = null)
    {
        steps ??= [];
        var connection = new MemoryConnection(maxRead);
        var drain = Task.Run(async () =>
        {
            await connection.ServerOutput.WriteAsync(served);
            await connection.ServerOutput.CompleteAsync();
            while (true)
            {
                var result = await connection.ServerInput.ReadAsync();
                connection.ServerInput.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        });
        await using var client = new Pop3Client(new Pop3ClientOptions { ReadBufferSize = readBuffer, AllowCleartextPasswords = true, CommandTimeout = TimeSpan.FromSeconds(10) });
        await client.ConnectAsync(connection.ClientStream).WaitAsync(TimeSpan.FromSeconds(10));
        steps.Add($"greeting {client.Greeting!.ApopTimestamp}");
        var capa = await client.CapaAsync();
        steps.Add($"capa {string.Join(',', capa.Lines)}");
        await client.LoginAsync("u", "p");
        steps.Add("login");
        var stat = await client.StatAsync();
        steps.Add($"stat {stat.Count} {stat.Size}");
        var list = await client.ListAsync();
        steps.Add("list " + string.Join(' ', list.Select(e => $"{e.Number}:{e.Size}")));
        var uids = await client.UidlAsync();
        steps.Add("uidl " + string.Join(' ', uids.Select(e => $"{e.Number}:{e.Uid}")));
        var body = new MemoryStream();
        await client.RetrAsync(1, body);
        steps.Add("retr " + Encoding.ASCII.GetString(body.ToArray()).Replace("\r\n", "|", StringComparison.Ordinal));
        var top = new MemoryStream();
        await client.TopAsync(2, 0, top);
        steps.Add("top " + Encoding.ASCII.GetString(top.ToArray()).Replace("\r\n", "||", StringComparison.Ordinal));
        await client.DeleAsync(1);
        steps.Add("dele");
        await client.QuitAsync();
        steps.Add("quit");
        return steps;
    }
}
