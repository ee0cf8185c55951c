using System.Net;
using PopGate.Jmap.Server;
using PopGate.Protocol;
using PopGate.Stores;
using PopGate.Stores.Jmap;
using PopGate.Stores.Maildir;
using PopGate.Testing;

namespace PopGate.Tests.Jmap;

/// <summary>A JMAP server failing inside (HTTP 500): the store reports a temporary failure, the server lives on.</summary>
public sealed class JmapStoreServerFailureTests : IAsyncLifetime
{
    private readonly TempDir _dir = new("jmap-fail");
    private JmapServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await JmapServer.StartAsync(
            new JmapServerOptions
            {
                Store = new MaildirStore(Path.Combine(_dir.Path, "%u")),
                Authenticate = (user, _) => user == "ok" ? true : throw new InvalidOperationException("the user directory is down"),
            },
            new IPEndPoint(IPAddress.Loopback, 0),
            null,
            CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_server_error_is_SYS_TEMP_and_the_server_keeps_serving()
    {
        using var failing = new JmapStore(new JmapStoreOptions { Url = _server.BaseUrl, Auth = JmapAuth.Basic("broken", "x") });
        var e = await Assert.ThrowsAsync<MaildropException>(async () => await failing.OpenAsync(new MaildropRequest("broken"), CancellationToken.None));
        Assert.Equal(ResponseCodes.SysTemp, e.Code);
        Assert.Contains("500", e.Message, StringComparison.Ordinal);

        using var working = new JmapStore(new JmapStoreOptions { Url = _server.BaseUrl, Auth = JmapAuth.Basic("ok", "x") });
        await using var maildrop = await working.OpenAsync(new MaildropRequest("ok"), CancellationToken.None);
        Assert.Empty(maildrop.Messages);
    }
}
