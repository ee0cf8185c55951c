using PopGate.Jmap.Server;
using PopGate.Stores;
using PopGate.Stores.Jmap;
using PopGate.Testing;

namespace PopGate.Tests.Jmap;

/// <summary>A server with tiny limits and relative URLs, as Cyrus sends them.</summary>
public sealed class TinyLimitsFixture : JmapServeFixture
{
    protected override JmapServerOptions Configure(JmapServerOptions options) => options with
    {
        MaxObjectsInGet = 3,
        MaxObjectsInSet = 2,
        MaxCallsInRequest = 4,
        MaxQueryLimit = 2,
        RelativeUrls = true,
    };
}

/// <summary>Listing and destroying in pages when the server's limits are far below the mailbox size.</summary>
public sealed class JmapStorePagingTests : IClassFixture<TinyLimitsFixture>
{
    private readonly TinyLimitsFixture _fixture;

    public JmapStorePagingTests(TinyLimitsFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task Lists_every_message_once_through_small_capped_pages_and_destroys_in_chunks()
    {
        var messages = TestCorpus.NonEmptyMessageFiles().Skip(30).Take(17).Select(File.ReadAllBytes).ToArray();
        var user = _fixture.NewUser(messages);
        using var store = new JmapStore(new JmapStoreOptions { Url = _fixture.Server.BaseUrl, Auth = JmapAuth.Basic(user, JmapServeFixture.PasswordOf(user)) });
        string[] kept;
        await using (var maildrop = await store.OpenAsync(new MaildropRequest(user), CancellationToken.None))
        {
            Assert.Equal(messages.Length, maildrop.Messages.Count);
            Assert.Equal(messages.Length, maildrop.Messages.Select(m => m.Uid).Distinct().Count());
            Assert.Equal(
                messages.Select(m => (long)TestCorpus.ToWire(m).Length).Order().ToArray(),
                maildrop.Messages.Select(m => m.Size).Order().ToArray());
            var deleted = Enumerable.Range(0, 17).Where(i => i % 3 != 0).ToArray();
            kept = Enumerable.Range(0, 17).Where(i => i % 3 == 0).Select(i => maildrop.Messages[i].Uid).ToArray();
            await maildrop.CommitAsync(deleted, CancellationToken.None);
        }

        await using var after = await store.OpenAsync(new MaildropRequest(user), CancellationToken.None);
        Assert.Equal(kept, after.Messages.Select(m => m.Uid).ToArray());
        Assert.Equal(kept.Length, _fixture.FilesOf(user).Length);
    }
}
