using System.Net.Http.Headers;
using System.Text.Json;
using PopGate.Testing;

namespace PopGate.Interop.Peers;

/// <summary>The private Cyrus starts, serves IMAP (plain, STARTTLS, imaps) and JMAP, and stops without leftovers.</summary>
public sealed class CyrusLauncherTests
{
    [Fact]
    public async Task Serves_imap_and_jmap_then_stops_every_process()
    {
        string config;
        await using (var cyrus = await CyrusServer.StartAsync(new CyrusOptions { ExtraUsers = [("second", "pw2")] }))
        {
            config = cyrus.ConfigPath;
            Assert.NotEmpty(PeerProcesses.WithArgument(config));

            await using (var probe = await ImapProbe.ConnectAsync(cyrus.ImapPort, TimeSpan.FromSeconds(10)))
            {
                var capability = await probe.RequireOkAsync("CAPABILITY", TimeSpan.FromSeconds(10));
                Assert.Contains("STARTTLS", string.Join("\n", capability), StringComparison.Ordinal);
                await probe.RequireOkAsync("LOGIN second pw2", TimeSpan.FromSeconds(10));
                var select = await probe.RequireOkAsync("SELECT INBOX", TimeSpan.FromSeconds(10));
                Assert.Contains(select, l => l.Contains("UIDVALIDITY", StringComparison.Ordinal));
            }

            await using (var refused = await ImapProbe.ConnectAsync(cyrus.ImapPort, TimeSpan.FromSeconds(10)))
            {
                var lines = await refused.CommandAsync("LOGIN second wrong", TimeSpan.FromSeconds(10));
                Assert.Contains(" NO ", lines[^1], StringComparison.Ordinal);
            }

            var appended = await cyrus.AppendAsync([System.Text.Encoding.ASCII.GetBytes("Subject: one\r\n\r\nbody\r\n"), [0, 1, 2]]);
            Assert.True(appended[0].Accepted);
            Assert.False(appended[1].Accepted);

            using var http = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, cyrus.JmapSessionUri);
            request.Headers.Authorization = CyrusServer.BasicAuth(cyrus.Options.User, cyrus.Options.Password);
            using var response = await http.SendAsync(request);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            using var session = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.True(session.RootElement.GetProperty("accounts").TryGetProperty(cyrus.Options.User, out _));
        }

        Assert.Empty(PeerProcesses.WithArgument(config));
    }
}
