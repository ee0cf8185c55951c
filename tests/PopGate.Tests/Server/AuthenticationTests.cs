using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using PopGate.Server;
using PopGate.Testing;

namespace PopGate.Tests.Server;

public sealed class AuthenticationTests
{
    private static readonly string[] Messages = ["Subject: a\n\nA\n"];

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task Apop_with_the_greeting_timestamp_logs_in()
    {
        await using var server = await TestServer.StartAsync(Messages);
        await using var client = await RawPop3Client.ConnectAsync(server.Port);
        var greeting = await client.ReadLineAsync();
        var timestamp = Regex.Match(greeting, "<[^>]+>").Value;
        var digest = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(timestamp + TestServer.Password)));
        Assert.StartsWith("-ERR [AUTH]", await client.CommandAsync($"APOP {TestServer.User} {new string('0', 32)}"));
        Assert.StartsWith("+OK", await client.CommandAsync($"APOP {TestServer.User} {digest}"));
        Assert.StartsWith("+OK 1 ", await client.CommandAsync("STAT"));
    }

    [Fact]
    public async Task Auth_plain_with_and_without_an_initial_response()
    {
        await using var server = await TestServer.StartAsync(Messages);
        await using (var client = await server.ConnectAsync())
        {
            Assert.StartsWith("+OK", await client.CommandAsync($"AUTH PLAIN {B64($"\0{TestServer.User}\0{TestServer.Password}")}"));
            Assert.StartsWith("+OK", await client.CommandAsync("QUIT"));
        }

        await using (var client = await server.ConnectAsync())
        {
            Assert.Equal("+ ", await client.CommandAsync("AUTH PLAIN"));
            Assert.StartsWith("+OK", await client.CommandAsync(B64($"{TestServer.User}\0{TestServer.User}\0{TestServer.Password}")));
            Assert.StartsWith("+OK", await client.CommandAsync("QUIT"));
        }

        await using (var client = await server.ConnectAsync())
        {
            Assert.StartsWith("-ERR [AUTH]", await client.CommandAsync($"AUTH PLAIN {B64($"\0{TestServer.User}\0wrong")}"));
            Assert.StartsWith("-ERR [AUTH]", await client.CommandAsync($"AUTH PLAIN {B64($"other\0{TestServer.User}\0{TestServer.Password}")}"));
            Assert.StartsWith("-ERR", await client.CommandAsync("AUTH PLAIN !!notbase64"));
        }
    }

    [Fact]
    public async Task Auth_login_prompts_for_user_and_password_and_can_be_cancelled()
    {
        await using var server = await TestServer.StartAsync(Messages);
        await using var client = await server.ConnectAsync();
        Assert.Equal("+ " + B64("Username:"), await client.CommandAsync("AUTH LOGIN"));
        Assert.StartsWith("-ERR", await client.CommandAsync("*"));
        Assert.Equal("+ " + B64("Username:"), await client.CommandAsync("AUTH LOGIN"));
        Assert.Equal("+ " + B64("Password:"), await client.CommandAsync(B64(TestServer.User)));
        Assert.StartsWith("+OK", await client.CommandAsync(B64(TestServer.Password)));
    }

    [Fact]
    public async Task Auth_without_arguments_lists_the_mechanisms()
    {
        await using var server = await TestServer.StartAsync(Messages);
        await using var client = await server.ConnectAsync();
        Assert.StartsWith("+OK", await client.CommandAsync("AUTH"));
        var list = Encoding.ASCII.GetString(await client.ReadMultiLineAsync());
        Assert.Contains("PLAIN\r\n", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Repeated_failures_close_the_session()
    {
        await using var server = await TestServer.StartAsync(Messages);
        await using var client = await server.ConnectAsync();
        for (var i = 0; i < 3; i++)
        {
            Assert.StartsWith("+OK", await client.CommandAsync($"USER {TestServer.User}"));
            Assert.StartsWith("-ERR [AUTH]", await client.CommandAsync("PASS wrong"));
        }

        Assert.StartsWith("-ERR too many failed logins", await client.ReadLineAsync());
        Assert.True(await client.IsClosedAsync());
    }

    [Fact]
    public async Task Unknown_users_and_wrong_passwords_get_the_same_answer()
    {
        await using var server = await TestServer.StartAsync(Messages);
        await using var client = await server.ConnectAsync();
        Assert.StartsWith("+OK", await client.CommandAsync("USER nobody-here"));
        var unknown = await client.CommandAsync("PASS x");
        Assert.StartsWith("+OK", await client.CommandAsync($"USER {TestServer.User}"));
        var wrong = await client.CommandAsync("PASS x");
        Assert.Equal(unknown, wrong);
    }

    [Fact]
    public async Task Stls_upgrades_drops_bytes_sent_after_it_and_hides_itself_afterwards()
    {
        await using var server = await TestServer.StartAsync(Messages, certificate: TestCertificate.Get());
        await using var client = await server.ConnectAsync();
        Assert.StartsWith("+OK", await client.CommandAsync("CAPA"));
        Assert.Contains("STLS\r\n", Encoding.ASCII.GetString(await client.ReadMultiLineAsync()), StringComparison.Ordinal);
        // A command injected right after STLS, before the handshake, must not be executed inside TLS.
        await client.SendAsync($"STLS\r\nUSER {TestServer.User}\r\n");
        Assert.StartsWith("+OK", await client.ReadLineAsync());
        await client.StartTlsAsync();
        Assert.StartsWith("-ERR", await client.CommandAsync($"PASS {TestServer.Password}"));
        Assert.StartsWith("+OK", await client.CommandAsync("CAPA"));
        Assert.DoesNotContain("STLS", Encoding.ASCII.GetString(await client.ReadMultiLineAsync()), StringComparison.Ordinal);
        Assert.StartsWith("-ERR", await client.CommandAsync("STLS"));
        Assert.StartsWith("+OK", await client.CommandAsync($"USER {TestServer.User}"));
        Assert.StartsWith("+OK", await client.CommandAsync($"PASS {TestServer.Password}"));
    }

    [Fact]
    public async Task Tls_only_policy_refuses_plaintext_until_stls()
    {
        await using var server = await TestServer.StartAsync(Messages, o => o with { PlaintextAuth = PlaintextAuthPolicy.TlsOnly }, TestCertificate.Get());
        await using var client = await server.ConnectAsync();
        Assert.StartsWith("+OK", await client.CommandAsync("CAPA"));
        var capa = Encoding.ASCII.GetString(await client.ReadMultiLineAsync()).Split("\r\n");
        Assert.DoesNotContain("USER", capa);
        Assert.DoesNotContain(capa, l => l.Contains("PLAIN", StringComparison.Ordinal));
        Assert.StartsWith("-ERR [AUTH]", await client.CommandAsync($"USER {TestServer.User}"));
        Assert.StartsWith("-ERR", await client.CommandAsync($"AUTH PLAIN {B64($"\0{TestServer.User}\0{TestServer.Password}")}"));
        Assert.StartsWith("+OK", await client.CommandAsync("STLS"));
        await client.StartTlsAsync();
        Assert.StartsWith("+OK", await client.CommandAsync($"USER {TestServer.User}"));
        Assert.StartsWith("+OK", await client.CommandAsync($"PASS {TestServer.Password}"));
    }

    [Fact]
    public async Task Implicit_tls_listener_speaks_tls_from_the_first_byte()
    {
        await using var server = await TestServer.StartAsync(
            Messages,
            o => o with { Listeners = [new ListenerOptions(new IPEndPoint(IPAddress.Loopback, 0), ImplicitTls: true)] },
            TestCertificate.Get());
        await using var client = await RawPop3Client.ConnectAsync(server.Port, implicitTls: true);
        Assert.StartsWith("+OK", await client.ReadLineAsync());
        Assert.StartsWith("+OK", await client.CommandAsync($"USER {TestServer.User}"));
        Assert.StartsWith("+OK", await client.CommandAsync($"PASS {TestServer.Password}"));
        Assert.StartsWith("+OK", await client.CommandAsync("RETR 1"));
        Assert.Equal("Subject: a\r\n\r\nA\r\n", Encoding.ASCII.GetString(await client.ReadMultiLineAsync()));
    }

    [Fact]
    public async Task Login_delay_refuses_a_second_login_too_soon()
    {
        await using var server = await TestServer.StartAsync(Messages, o => o with { LoginDelay = TimeSpan.FromMinutes(5) });
        await using (var first = await server.LoginAsync())
        {
            Assert.StartsWith("+OK", await first.CommandAsync("CAPA"));
            Assert.Contains("LOGIN-DELAY 300", Encoding.ASCII.GetString(await first.ReadMultiLineAsync()), StringComparison.Ordinal);
            Assert.StartsWith("+OK", await first.CommandAsync("QUIT"));
        }

        await using var second = await server.ConnectAsync();
        Assert.StartsWith("+OK", await second.CommandAsync($"USER {TestServer.User}"));
        Assert.StartsWith("-ERR [LOGIN-DELAY]", await second.CommandAsync($"PASS {TestServer.Password}"));
    }

    [Fact]
    public async Task Capa_lists_exactly_the_extensions_that_work()
    {
        await using var server = await TestServer.StartAsync(Messages, certificate: TestCertificate.Get());
        await using var client = await server.ConnectAsync();
        Assert.StartsWith("+OK", await client.CommandAsync("CAPA"));
        var capa = Encoding.ASCII.GetString(await client.ReadMultiLineAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        foreach (var expected in new[] { "TOP", "USER", "UIDL", "PIPELINING", "RESP-CODES", "AUTH-RESP-CODE", "STLS", "UTF8 USER", "EXPIRE NEVER", "LOGIN-DELAY 0", "IMPLEMENTATION PopGate" })
        {
            Assert.Contains(expected, capa);
        }

        Assert.Contains(capa, l => l.StartsWith("SASL ", StringComparison.Ordinal) && l.Contains("PLAIN", StringComparison.Ordinal));
    }
}
