using System.Security.Cryptography;
using System.Text.Json;
using PopGate.Testing;

namespace PopGate.Interop.Server;

/// <summary>Python's poplib against `popgate serve`: every command, STLS, implicit TLS, APOP, UTF8, over the corpus.</summary>
public sealed class PoplibTests(ServeFixture fixture) : IClassFixture<ServeFixture>
{
    private PopGateServer Server => fixture.Server;

    private static async Task<JsonElement> RunAsync(int port, TestUser user, string mode, string outDir, params int[] delete)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Scripts", "poplib_session.py");
        var result = await ProcessRunner.RunAsync(
            PeerProgram.Require("python3"),
            [script, "127.0.0.1", port.ToString(), user.Name, user.Password, mode, outDir, .. delete.Select(d => d.ToString())],
            TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonDocument.Parse(result.StdOut).RootElement;
    }

    private static void AssertMessagesExact(string outDir, IReadOnlyList<byte[]> sources, JsonElement report)
    {
        var listed = report.GetProperty("list").EnumerateArray().Select(l => long.Parse(l.GetString()!.Split(' ')[1])).ToList();
        for (var i = 0; i < sources.Count; i++)
        {
            var got = File.ReadAllBytes(Path.Combine(outDir, (i + 1).ToString()));
            var expected = TestCorpus.ToWire(sources[i]);
            Assert.True(expected.AsSpan().SequenceEqual(got), $"message {i + 1} ({ServeFixture.Files[i]}) differs");
            Assert.Equal(got.Length, listed[i]);
        }
    }

    [Fact]
    public async Task Every_corpus_message_is_retrieved_byte_for_byte()
    {
        var user = await Server.AddMaildirUserAsync(ServeFixture.Messages);
        using var outDir = new TempDir("poplib-out");
        var report = await RunAsync(Server.Port, user, "plain", outDir.Path);

        Assert.Equal(ServeFixture.Messages.Count, report.GetProperty("stat")[0].GetInt32());
        AssertMessagesExact(outDir.Path, ServeFixture.Messages, report);
        var uidls = report.GetProperty("uidl").EnumerateArray().Select(u => u.GetString()!.Split(' ')[1]).ToList();
        Assert.Equal(uidls.Count, uidls.Distinct().Count());
        Assert.StartsWith("+OK 1 ", report.GetProperty("list1").GetString());
        Assert.StartsWith("-ERR", report.GetProperty("retr_missing").GetString());
        Assert.StartsWith("+OK", report.GetProperty("quit").GetString());
        var capa = report.GetProperty("capa");
        foreach (var name in new[] { "TOP", "UIDL", "PIPELINING", "RESP-CODES", "AUTH-RESP-CODE", "STLS", "SASL", "USER", "UTF8", "IMPLEMENTATION" })
        {
            Assert.True(capa.TryGetProperty(name, out _), $"CAPA lacks {name}");
        }
    }

    [Fact]
    public async Task Uidls_are_the_same_in_the_next_session_and_deletes_apply_at_quit()
    {
        var user = await Server.AddMaildirUserAsync(ServeFixture.Messages.Take(20));
        using var first = new TempDir("poplib-out");
        var one = await RunAsync(Server.Port, user, "plain", first.Path, 2, 5);
        Assert.Equal([18, one.GetProperty("stat")[1].GetInt64() - one.GetProperty("retr_sizes")[1].GetInt64() - one.GetProperty("retr_sizes")[4].GetInt64()],
            one.GetProperty("stat_after_dele").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal(18, user.MaildirCount());

        using var second = new TempDir("poplib-out");
        var two = await RunAsync(Server.Port, user, "plain", second.Path);
        var before = one.GetProperty("uidl").EnumerateArray().Select(u => u.GetString()!.Split(' ')[1]).Where((_, i) => i != 1 && i != 4);
        var after = two.GetProperty("uidl").EnumerateArray().Select(u => u.GetString()!.Split(' ')[1]);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Stls_then_login_and_capa_no_longer_offers_stls()
    {
        var user = await Server.AddMaildirUserAsync(ServeFixture.Messages.Take(30));
        using var outDir = new TempDir("poplib-out");
        var report = await RunAsync(Server.Port, user, "stls", outDir.Path);
        Assert.False(report.GetProperty("capa_after_stls").TryGetProperty("STLS", out _));
        AssertMessagesExact(outDir.Path, ServeFixture.Messages.Take(30).ToList(), report);
    }

    [Fact]
    public async Task Implicit_tls_serves_the_same_bytes()
    {
        var user = await Server.AddMaildirUserAsync(ServeFixture.Messages.Take(30));
        using var outDir = new TempDir("poplib-out");
        var report = await RunAsync(Server.TlsPort, user, "ssl", outDir.Path);
        AssertMessagesExact(outDir.Path, ServeFixture.Messages.Take(30).ToList(), report);
    }

    [Fact]
    public async Task Apop_logs_in()
    {
        var user = await Server.AddMaildirUserAsync(ServeFixture.Messages.Take(3));
        using var outDir = new TempDir("poplib-out");
        var report = await RunAsync(Server.Port, user, "apop", outDir.Path);
        Assert.StartsWith("+OK", report.GetProperty("login").GetString());
        Assert.Equal(3, report.GetProperty("stat")[0].GetInt32());
    }

    [Fact]
    public async Task Utf8_user_names_and_passwords_work()
    {
        var user = await Server.AddMaildirUserAsync(ServeFixture.Messages.Take(2), "zoë", "pässwörd-✓");
        using var outDir = new TempDir("poplib-out");
        var report = await RunAsync(Server.Port, user, "utf8", outDir.Path);
        Assert.StartsWith("+OK", report.GetProperty("utf8").GetString());
        Assert.Equal(2, report.GetProperty("stat")[0].GetInt32());
    }

    [Fact]
    public async Task An_mbox_maildrop_serves_the_same_messages()
    {
        var sources = ServeFixture.Messages.Where(m => !m.AsSpan().EndsWith("\n\n"u8) && !m.AsSpan().EndsWith("\r\n\r\n"u8)).Take(120).ToList();
        var user = await Server.AddMboxUserAsync(MboxWriter.Mboxrd(sources));
        using var outDir = new TempDir("poplib-out");
        var report = await RunAsync(Server.Port, user, "plain", outDir.Path, 1);
        for (var i = 0; i < sources.Count; i++)
        {
            var got = await File.ReadAllBytesAsync(Path.Combine(outDir.Path, (i + 1).ToString()));
            Assert.True(MboxWriter.ExpectedWire(sources[i]).AsSpan().SequenceEqual(got), $"message {i + 1} differs");
        }

        // Deleting message 1 at QUIT leaves the file exactly as it was, less that message's lines.
        var original = MboxWriter.Mboxrd(sources);
        var firstLength = MboxWriter.Mboxrd(sources.Take(1)).Length;
        var rewritten = await File.ReadAllBytesAsync(user.Mbox!);
        Assert.Equal(SHA256.HashData(original.AsSpan(firstLength)), SHA256.HashData(rewritten));
    }
}
