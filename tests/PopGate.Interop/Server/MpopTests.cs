using PopGate.Testing;

namespace PopGate.Interop.Server;

/// <summary>mpop (a pipelining downloader) against `popgate serve`: everything delivered exactly, then deleted.</summary>
public sealed class MpopTests(ServeFixture fixture) : IClassFixture<ServeFixture>
{
    private PopGateServer Server => fixture.Server;

    private async Task<ProcessResult> RunAsync(TestUser user, string destination, TempDir work, string tls, bool keep)
    {
        var config = Path.Combine(work.Path, "mpoprc");
        var port = tls == "implicit" ? Server.TlsPort : Server.Port;
        var tlsLines = tls switch
        {
            "off" => "tls off",
            "stls" => $"tls on\ntls_starttls on\ntls_trust_file {Server.Certificate.CertificatePath}",
            _ => $"tls on\ntls_starttls off\ntls_trust_file {Server.Certificate.CertificatePath}",
        };
        await File.WriteAllTextAsync(config, $"""
            account test
            host 127.0.0.1
            port {port}
            user {user.Name}
            password {user.Password}
            {tlsLines}
            auth user
            received_header off
            pipelining on
            keep {(keep ? "on" : "off")}
            uidls_file {Path.Combine(work.Path, "uidls")}
            delivery maildir {destination}

            """);
        File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var result = await ProcessRunner.RunAsync(PeerProgram.Require("mpop"), ["-C", config, "-q", "test"], TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, result.ToString() + Server.Output);
        return result;
    }

    private static string NewMaildir(TempDir work)
    {
        var dir = work.Sub("delivered");
        foreach (var sub in new[] { "tmp", "new", "cur" })
        {
            Directory.CreateDirectory(Path.Combine(dir, sub));
        }

        return dir;
    }

    [Fact]
    public async Task Downloads_every_message_exactly_and_deletes_them()
    {
        var user = await Server.AddMaildirUserAsync(ServeFixture.Messages);
        using var work = new TempDir("mpop");
        var destination = NewMaildir(work);
        await RunAsync(user, destination, work, "off", keep: false);

        var expected = ServeFixture.Messages.Select(m => DeliveredMail.ToLocal(TestCorpus.ToWire(m))).ToList();
        DeliveredMail.AssertSameMessages(expected, DeliveredMail.Read(destination), i => ServeFixture.Files[i]);
        Assert.Equal(0, user.MaildirCount());
    }

    [Theory]
    [InlineData("stls")]
    [InlineData("implicit")]
    public async Task Downloads_over_tls_with_the_certificate_checked(string tls)
    {
        var user = await Server.AddMaildirUserAsync(ServeFixture.Messages.Take(40));
        using var work = new TempDir("mpop");
        var destination = NewMaildir(work);
        await RunAsync(user, destination, work, tls, keep: true);
        var expected = ServeFixture.Messages.Take(40).Select(m => DeliveredMail.ToLocal(TestCorpus.ToWire(m))).ToList();
        DeliveredMail.AssertSameMessages(expected, DeliveredMail.Read(destination));
        Assert.Equal(40, user.MaildirCount());
    }
}
