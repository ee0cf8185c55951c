using System.Text.RegularExpressions;
using PopGate.Testing;

namespace PopGate.Interop.Server;

/// <summary>fetchmail against `popgate serve`: fetch everything, deliver through an MDA, delete on the server.</summary>
public sealed partial class FetchmailTests(ServeFixture fixture) : IClassFixture<ServeFixture>
{
    private PopGateServer Server => fixture.Server;

    /// <summary>
    /// fetchmail rewrites messages it finds malformed (a leading mbox "From " line, a header without a blank line
    /// after it, bare CRs, NULs), so byte-exact checks use the messages with a clean header; the others are still
    /// fetched and deleted in <see cref="Malformed_messages_are_fetched_and_deleted_too"/>.
    /// </summary>
    private static bool HasCleanHeader(byte[] message)
    {
        if (message.AsSpan().StartsWith("From "u8) || message.AsSpan().IndexOf((byte)0) >= 0 || message.AsSpan().IndexOf("\r"u8) >= 0 && message.AsSpan().IndexOf("\r\n"u8) < 0)
        {
            return false;
        }

        var text = System.Text.Encoding.Latin1.GetString(message).Replace("\r\n", "\n", StringComparison.Ordinal);
        if (text.Contains('\r', StringComparison.Ordinal))
        {
            return false;
        }

        var end = text.IndexOf("\n\n", StringComparison.Ordinal);
        return end > 0 && text[..end].Split('\n').All(l => l.StartsWith(' ') || l.StartsWith('\t') || HeaderLine().IsMatch(l));
    }

    [GeneratedRegex("^[!-9;-~]+:")]
    private static partial Regex HeaderLine();

    [Fact]
    public async Task Fetches_clean_messages_exactly_and_deletes_them()
    {
        var messages = ServeFixture.Messages.Where(HasCleanHeader).ToList();
        Assert.True(messages.Count > 200);
        var user = await Server.AddMaildirUserAsync(messages);
        using var work = new TempDir("fetchmail");
        var delivered = await FetchmailRunner.FetchAsync(Server.Port, user.Name, user.Password, work);

        var expected = messages.Select(m => DeliveredMail.ToLocal(TestCorpus.ToWire(m))).ToList();
        DeliveredMail.AssertSameMessages(expected, DeliveredMail.Read(delivered));
        Assert.Equal(0, user.MaildirCount());
    }

    [Fact]
    public async Task Fetches_over_implicit_tls_with_the_certificate_checked()
    {
        var messages = ServeFixture.Messages.Where(HasCleanHeader).Take(30).ToList();
        var user = await Server.AddMaildirUserAsync(messages);
        using var work = new TempDir("fetchmail");
        var delivered = await FetchmailRunner.FetchAsync(Server.TlsPort, user.Name, user.Password, work, $"ssl sslcertck sslcommonname localhost sslcertfile \"{Server.Certificate.CertificatePath}\"");
        DeliveredMail.AssertSameMessages(messages.Select(m => DeliveredMail.ToLocal(TestCorpus.ToWire(m))).ToList(), DeliveredMail.Read(delivered));
        Assert.Equal(0, user.MaildirCount());
    }

    [Fact]
    public async Task Malformed_messages_are_fetched_and_deleted_too()
    {
        var messages = ServeFixture.Messages.Where(m => !HasCleanHeader(m)).ToList();
        var user = await Server.AddMaildirUserAsync(messages);
        using var work = new TempDir("fetchmail");
        var delivered = await FetchmailRunner.FetchAsync(Server.Port, user.Name, user.Password, work);
        // fetchmail refuses a few messages whose header it cannot parse ("not flushed") and leaves them on the
        // server: every message is either delivered or still there, none is lost.
        var left = Directory.GetFiles(Path.Combine(user.Maildir!, "new")).Select(File.ReadAllBytes).ToList();
        Assert.Equal(messages.Count, DeliveredMail.Read(delivered).Count + left.Count);
        Assert.InRange(left.Count, 0, 10);
    }
}
