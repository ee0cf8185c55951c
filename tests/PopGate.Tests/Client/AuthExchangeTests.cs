using System.Text;
using PopGate.Client;
using PopGate.Sasl;

namespace PopGate.Tests.Client;

/// <summary>AUTH on the wire: initial responses and the 255-octet line limit, challenges, cancellation with "*".</summary>
public sealed class AuthExchangeTests
{
    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task An_initial_response_that_would_pass_255_octets_waits_for_the_empty_challenge()
    {
        var token = new string('t', 300);
        var initial = B64($"user=me\u0001auth=Bearer {token}\u0001\u0001");
        await using var replay = await Replay.StartAsync("+OK\r\n"u8.ToArray(),
        [
            ScriptStep.Text("AUTH XOAUTH2", "+ \r\n"),
            ScriptStep.Text(initial, "+OK welcome\r\n"),
        ]);
        await replay.Client.AuthenticateAsync(new XOAuth2Client("me", token));
        Assert.True(replay.Client.IsAuthenticated);
        await replay.FinishAsync();
    }

    [Fact]
    public async Task An_empty_initial_response_is_sent_as_equals()
    {
        await using var replay = await Replay.StartAsync("+OK\r\n"u8.ToArray(), [ScriptStep.Text("AUTH EMPTY =", "+OK\r\n")]);
        await replay.Client.AuthenticateAsync(new EmptyMechanism());
        await replay.FinishAsync();
    }

    [Fact]
    public async Task Scram_runs_its_three_steps_and_refuses_a_server_that_skips_its_proof()
    {
        var serverFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
        var clientFinal = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
        await using (var replay = await Replay.StartAsync("+OK\r\n"u8.ToArray(),
        [
            ScriptStep.Text("AUTH SCRAM-SHA-256 " + B64("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"), $"+ {B64(serverFirst)}\r\n"),
            ScriptStep.Text(B64(clientFinal), $"+ {B64("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")}\r\n"),
            ScriptStep.Text(string.Empty, "+OK logged in\r\n"),
        ]))
        {
            await replay.Client.AuthenticateAsync(new ScramSha256Client("user", "pencil", "rOprNGfwEbeRWgbNEkqO"));
            await replay.FinishAsync();
        }

        await using (var replay = await Replay.StartAsync("+OK\r\n"u8.ToArray(),
        [
            ScriptStep.Text("AUTH SCRAM-SHA-256 " + B64("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"), $"+ {B64(serverFirst)}\r\n"),
            ScriptStep.Text(B64(clientFinal), "+OK trust me\r\n"),
        ]))
        {
            await Assert.ThrowsAsync<Pop3ProtocolException>(() => replay.Client.AuthenticateAsync(new ScramSha256Client("user", "pencil", "rOprNGfwEbeRWgbNEkqO")));
        }
    }

    [Fact]
    public async Task A_bad_challenge_cancels_with_a_star_and_reads_the_servers_refusal()
    {
        await using var replay = await Replay.StartAsync("+OK\r\n"u8.ToArray(),
        [
            ScriptStep.Text("AUTH CRAM-MD5", "+ not base64 at all!\r\n"),
            ScriptStep.Text("*", "-ERR cancelled\r\n"),
        ]);
        var error = await Assert.ThrowsAsync<Pop3ProtocolException>(() => replay.Client.AuthenticateAsync(new CramMd5Client("u", "p")));
        Assert.Contains("base64", error.Message, StringComparison.Ordinal);
        Assert.Null(replay.Server.Mismatch);
        Assert.Equal(["AUTH CRAM-MD5", "*"], replay.Server.Received);
    }

    [Fact]
    public async Task A_refused_login_carries_the_response_code()
    {
        await using var replay = await Replay.StartAsync("+OK\r\n"u8.ToArray(),
        [
            ScriptStep.Text("AUTH PLAIN " + B64("\0u\0wrong"), "-ERR [AUTH] Authentication failed.\r\n"),
            ScriptStep.Text("USER u", "+OK\r\n"),
            ScriptStep.Text("PASS p", "-ERR [IN-USE] Mailbox locked by another session\r\n"),
        ]);
        var refused = await Assert.ThrowsAsync<Pop3CommandException>(() => replay.Client.AuthenticateAsync(new SaslPlainClient("u", "wrong")));
        Assert.Equal("AUTH", refused.ResponseCode);
        Assert.Equal("AUTH PLAIN", refused.Command);
        Assert.False(refused.IsTemporary);
        var locked = await Assert.ThrowsAsync<Pop3CommandException>(() => replay.Client.LoginAsync("u", "p"));
        Assert.Equal("IN-USE", locked.ResponseCode);
        Assert.Equal("PASS", locked.Command);
        Assert.True(locked.IsTemporary);
        Assert.False(replay.Client.IsAuthenticated);
        Assert.True(replay.Client.IsConnected);
    }

    private sealed class EmptyMechanism : ISaslClientMechanism
    {
        public string Name => "EMPTY";
        public bool IsComplete => true;
        public byte[]? GetInitialResponse() => [];
        public byte[] EvaluateChallenge(ReadOnlySpan<byte> challenge) => [];
    }
}
