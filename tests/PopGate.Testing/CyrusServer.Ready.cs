using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace PopGate.Testing;

public sealed partial class CyrusServer
{
    private static readonly TimeSpan StepLimit = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Waits (bounded) until the master runs, IMAP greets, every user has an INBOX (created by the admin) and can
    /// select it, and the JMAP session answers with an account.
    /// </summary>
    private async Task WaitReadyAsync()
    {
        var deadline = DateTime.UtcNow + StartLimit;
        var last = "nothing tried";
        while (true)
        {
            try
            {
                last = await TryReadyAsync().ConfigureAwait(false);
                if (last.Length == 0)
                {
                    return;
                }
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or HttpRequestException or InvalidOperationException or JsonException)
            {
                last = e.Message;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"cyrus not ready after {StartLimit.TotalSeconds} s: {last}\n{ReadLog()}");
            }

            await Task.Delay(100).ConfigureAwait(false);
        }
    }

    /// <summary>An empty string when ready, else what is still missing.</summary>
    private async Task<string> TryReadyAsync()
    {
        if (!File.Exists(PidFile))
        {
            return "no pid file";
        }

        await using (var admin = await ImapProbe.ConnectAsync(ImapPort, StepLimit).ConfigureAwait(false))
        {
            if (!admin.Greeting.StartsWith("* OK", StringComparison.Ordinal))
            {
                return "IMAP greeting: " + admin.Greeting;
            }

            await admin.RequireOkAsync($"LOGIN {AdminUser} {AdminPassword}", StepLimit).ConfigureAwait(false);
            foreach (var (user, _) in Users)
            {
                await admin.RequireOkAsync($"CREATE user/{user}", StepLimit, "exists").ConfigureAwait(false);
            }
        }

        // The main user proves the SASL realm works; extra users may have passwords a quoted string cannot carry.
        await using (var probe = await ImapProbe.ConnectAsync(ImapPort, StepLimit).ConfigureAwait(false))
        {
            await probe.RequireOkAsync($"LOGIN {Options.User} {ImapQuote(Options.Password)}", StepLimit).ConfigureAwait(false);
            await probe.RequireOkAsync("SELECT INBOX", StepLimit).ConfigureAwait(false);
        }

        if (Options.Tls)
        {
            await TlsGreetingAsync().ConfigureAwait(false);
        }

        return await JmapReadyAsync().ConfigureAwait(false);
    }

    private async Task TlsGreetingAsync()
    {
        using var tcp = new TcpClient();
        using var cts = new CancellationTokenSource(StepLimit);
        await tcp.ConnectAsync(IPAddress.Loopback, ImapsPort, cts.Token).ConfigureAwait(false);
        var tls = new System.Net.Security.SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        await using (tls.ConfigureAwait(false))
        {
            await tls.AuthenticateAsClientAsync(new System.Net.Security.SslClientAuthenticationOptions { TargetHost = "localhost" }, cts.Token).ConfigureAwait(false);
            var buffer = new byte[64];
            var n = await tls.ReadAsync(buffer, cts.Token).ConfigureAwait(false);
            if (n < 4 || !buffer.AsSpan(0, 4).SequenceEqual("* OK"u8))
            {
                throw new IOException("imaps port did not greet");
            }
        }
    }

    private async Task<string> JmapReadyAsync()
    {
        // Redirects are followed by hand: HttpClient drops the Authorization header on a redirect.
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { Timeout = StepLimit };
        var uri = new Uri($"http://127.0.0.1:{HttpPort}/.well-known/jmap");
        for (var hop = 0; hop < 4; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.Authorization = BasicAuth(Options.User, Options.Password);
            using var response = await http.SendAsync(request).ConfigureAwait(false);
            if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                uri = new Uri(uri, location);
                continue;
            }

            var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return $"JMAP session {uri}: HTTP {(int)response.StatusCode} {body[..Math.Min(200, body.Length)]}";
            }

            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("accounts", out var accounts) && accounts.EnumerateObject().Any()
                ? string.Empty
                : "JMAP session without accounts";
        }

        return "JMAP session: too many redirects";
    }

    /// <summary>The Authorization header Cyrus' httpd accepts for JMAP.</summary>
    public static AuthenticationHeaderValue BasicAuth(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    private static string ImapQuote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
