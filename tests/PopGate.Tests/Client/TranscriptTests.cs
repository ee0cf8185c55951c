using System.Text;
using PopGate.Client;
using PopGate.Sasl;

namespace PopGate.Tests.Client;

/// <summary>The transcript shows the dialogue but never a password, an APOP digest or a SASL payload.</summary>
public sealed class TranscriptTests
{
    [Fact]
    public async Task Secrets_are_masked_and_bodies_summarised()
    {
        var log = new StringWriter();
        var plainIr = Convert.ToBase64String(Encoding.UTF8.GetBytes("\0user\0s3cret-plain"));
        await using var replay = await Replay.StartAsync("+OK <7.7@host>\r\n"u8.ToArray(),
        [
            ScriptStep.Text("USER user", "+OK\r\n"),
            ScriptStep.Text("PASS s3cret-pass", "-ERR no\r\n"),
            ScriptStep.Text("APOP user " + Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData("<7.7@host>s3cret-apop"u8)), "-ERR no\r\n"),
            ScriptStep.Text("AUTH PLAIN " + plainIr, "-ERR no\r\n"),
            ScriptStep.Text("AUTH LOGIN", "+ VXNlcm5hbWU6\r\n"),
            ScriptStep.Text(Convert.ToBase64String("user"u8), "+ UGFzc3dvcmQ6\r\n"),
            ScriptStep.Text(Convert.ToBase64String("s3cret-login"u8), "+OK\r\n"),
            ScriptStep.Text("RETR 1", "+OK\r\nSubject: hidden body\r\n\r\ntext\r\n.\r\n"),
        ], options: new Pop3ClientOptions { Transcript = new TextTranscript(log) });
        var client = replay.Client;
        await Assert.ThrowsAsync<Pop3CommandException>(() => client.LoginAsync("user", "s3cret-pass"));
        await Assert.ThrowsAsync<Pop3CommandException>(() => client.ApopAsync("user", "s3cret-apop"));
        await Assert.ThrowsAsync<Pop3CommandException>(() => client.AuthenticateAsync(new SaslPlainClient("user", "s3cret-plain")));
        await client.AuthenticateAsync(new SaslLoginClient("user", "s3cret-login"));
        await client.RetrAsync(1, Stream.Null);
        await replay.FinishAsync();

        var text = log.ToString();
        Assert.DoesNotContain("s3cret", text, StringComparison.Ordinal);
        Assert.DoesNotContain(plainIr, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String("s3cret-login"u8), text, StringComparison.Ordinal);
        Assert.DoesNotContain("hidden body", text, StringComparison.Ordinal);
        Assert.Contains("C: USER user", text, StringComparison.Ordinal);
        Assert.Contains("C: PASS ********", text, StringComparison.Ordinal);
        Assert.Contains("C: APOP user ********", text, StringComparison.Ordinal);
        Assert.Contains("C: AUTH PLAIN ********", text, StringComparison.Ordinal);
        Assert.Contains("S: + VXNlcm5hbWU6", text, StringComparison.Ordinal);
        Assert.Contains("S: (30 octets of message data)", text, StringComparison.Ordinal);
        Assert.Contains("S: +OK <7.7@host>", text, StringComparison.Ordinal);
    }
}
