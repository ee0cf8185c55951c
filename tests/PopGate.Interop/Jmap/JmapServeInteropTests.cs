using System.Security.Cryptography;
using PopGate.Protocol;
using PopGate.Stores;
using PopGate.Stores.Jmap;
using PopGate.Testing;

namespace PopGate.Interop.Jmap;

/// <summary>One `popgate jmap-serve` process for the class; each test has users of its own.</summary>
public sealed class JmapServeProcessFixture : IAsyncLifetime
{
    public JmapServeProcess Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await JmapServeProcess.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>`popgate jmap-serve` as a process, read by the npm client jmap-jam and by the JMAP store.</summary>
public sealed class JmapServeInteropTests : IClassFixture<JmapServeProcessFixture>
{
    private static readonly byte[][] Messages = TestCorpus.NonEmptyMessageFiles().Select(File.ReadAllBytes).ToArray();
    private readonly JmapServeProcess _server;

    public JmapServeInteropTests(JmapServeProcessFixture fixture) => _server = fixture.Server;

    [Fact]
    public async Task Jmap_jam_lists_and_downloads_every_message_byte_exact()
    {
        var messages = Messages.Take(60).ToArray();
        var (user, password) = await _server.AddUserAsync(messages);
        var emails = await JamClient.ListAndDownloadAsync(new Uri(_server.BaseUrl, "/.well-known/jmap"), user, password);

        Assert.Equal(messages.Length, emails.Count);
        Assert.All(emails, e => Assert.Equal(e.Size, e.Downloaded));
        Assert.Equal(
            messages.Select(m => Convert.ToHexStringLower(SHA256.HashData(TestCorpus.ToWire(m)))).Order(),
            emails.Select(e => e.Sha256).Order());
        Assert.Contains(emails, e => !string.IsNullOrEmpty(e.Subject));
    }

    [Fact]
    public async Task The_jmap_store_reads_the_whole_corpus_and_destroys_exactly_what_was_deleted()
    {
        var (user, password) = await _server.AddUserAsync(Messages);
        using var store = new JmapStore(new JmapStoreOptions { Url = _server.BaseUrl, Auth = JmapAuth.Basic(user, password) });
        var expected = Messages.Select(m => Convert.ToHexStringLower(SHA256.HashData(TestCorpus.ToWire(m)))).Order().ToList();
        await using (var maildrop = await store.OpenAsync(new MaildropRequest(user), CancellationToken.None))
        {
            var got = await BytesSink.HashEveryMessageAsync(maildrop);
            Assert.Equal(expected, got.Order().ToList());
            await maildrop.CommitAsync([0, 2, 4], CancellationToken.None);
        }

        Assert.Equal(Messages.Length - 3, _server.CountMessages(user));
    }

    [Fact]
    public async Task Over_tls_with_a_self_signed_certificate()
    {
        await using var tls = await JmapServeProcess.StartAsync(tls: true);
        var (user, password) = await tls.AddUserAsync(Messages.Take(3));
        Assert.Equal(Uri.UriSchemeHttps, tls.BaseUrl.Scheme);
        using var trusting = new JmapStore(new JmapStoreOptions { Url = tls.BaseUrl, Auth = JmapAuth.Basic(user, password), InsecureSkipCertificateCheck = true });
        await using (var maildrop = await trusting.OpenAsync(new MaildropRequest(user), CancellationToken.None))
        {
            Assert.Equal(3, maildrop.Messages.Count);
        }

        using var checking = new JmapStore(new JmapStoreOptions { Url = tls.BaseUrl, Auth = JmapAuth.Basic(user, password) });
        var e = await Assert.ThrowsAsync<MaildropException>(async () => await checking.OpenAsync(new MaildropRequest(user), CancellationToken.None));
        Assert.Equal(ResponseCodes.SysTemp, e.Code);
    }

    [Fact]
    public async Task Sigterm_stops_the_server_cleanly()
    {
        await using var server = await JmapServeProcess.StartAsync();
        Assert.Equal(0, await server.TerminateAsync(TimeSpan.FromSeconds(15)));
    }
}
