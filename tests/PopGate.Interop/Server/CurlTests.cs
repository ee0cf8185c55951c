using PopGate.Testing;

namespace PopGate.Interop.Server;

/// <summary>curl's pop3:// and pop3s:// against `popgate serve`: list, retrieve, and DELE.</summary>
public sealed class CurlTests(ServeFixture fixture) : IClassFixture<ServeFixture>
{
    private PopGateServer Server => fixture.Server;

    private static async Task<ProcessResult> CurlAsync(params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync(PeerProgram.Require("curl"), ["-sS", "--max-time", "60", .. arguments], TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    [Fact]
    public async Task Lists_and_retrieves_every_message_exactly()
    {
        var user = await Server.AddMaildirUserAsync(ServeFixture.Messages);
        var credentials = $"{user.Name}:{user.Password}";
        var list = await CurlAsync("-u", credentials, $"pop3://127.0.0.1:{Server.Port}/");
        var sizes = list.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => long.Parse(l.Trim().Split(' ')[1])).ToList();
        Assert.Equal(ServeFixture.Messages.Count, sizes.Count);

        using var outDir = new TempDir("curl-out");
        // One curl run fetches many URLs over one connection per URL; batches keep the command line short.
        for (var start = 0; start < ServeFixture.Messages.Count; start += 50)
        {
            var arguments = new List<string> { "-u", credentials };
            for (var n = start + 1; n <= Math.Min(start + 50, ServeFixture.Messages.Count); n++)
            {
                arguments.AddRange([$"pop3://127.0.0.1:{Server.Port}/{n}", "-o", Path.Combine(outDir.Path, n.ToString())]);
            }

            await CurlAsync([.. arguments]);
        }

        for (var i = 0; i < ServeFixture.Messages.Count; i++)
        {
            var got = await File.ReadAllBytesAsync(Path.Combine(outDir.Path, (i + 1).ToString()));
            Assert.True(TestCorpus.ToWire(ServeFixture.Messages[i]).AsSpan().SequenceEqual(got), $"message {i + 1} ({ServeFixture.Files[i]}) differs");
            Assert.Equal(sizes[i], got.Length);
        }
    }

    [Theory]
    [InlineData("pop3s")]
    [InlineData("stls")]
    public async Task Tls_with_certificate_check_retrieves(string mode)
    {
        var user = await Server.AddMaildirUserAsync(ServeFixture.Messages.Take(5));
        using var outDir = new TempDir("curl-out");
        var file = Path.Combine(outDir.Path, "m");
        var url = mode == "pop3s" ? $"pop3s://127.0.0.1:{Server.TlsPort}/3" : $"pop3://127.0.0.1:{Server.Port}/3";
        await CurlAsync("--ssl-reqd", "--cacert", Server.Certificate.CertificatePath, "-u", $"{user.Name}:{user.Password}", url, "-o", file);
        Assert.Equal(TestCorpus.ToWire(ServeFixture.Messages[2]), await File.ReadAllBytesAsync(file));
    }

    [Fact]
    public async Task Dele_removes_the_message_at_quit()
    {
        var user = await Server.AddMaildirUserAsync(ServeFixture.Messages.Take(4));
        // -I: DELE has a one-line answer, not a message.
        await CurlAsync("-u", $"{user.Name}:{user.Password}", "-X", "DELE", "-I", $"pop3://127.0.0.1:{Server.Port}/2");
        Assert.Equal(3, user.MaildirCount());
        var uidl = await CurlAsync("-u", $"{user.Name}:{user.Password}", "-X", "UIDL", $"pop3://127.0.0.1:{Server.Port}/");
        Assert.DoesNotContain(".M1P", uidl.StdOut, StringComparison.Ordinal);
        Assert.Equal(3, uidl.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
