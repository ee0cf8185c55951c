using PopGate.Protocol;
using PopGate.Stores;
using PopGate.Stores.Jmap;
using PopGate.Testing;

namespace PopGate.Tests.Jmap;

/// <summary>The JMAP store against `jmap-serve`'s server over a Maildir: listing, RETR, TOP, UIDL, QUIT.</summary>
public sealed class JmapStoreOverServeTests : IClassFixture<JmapServeFixture>
{
    private readonly JmapServeFixture _fixture;

    public JmapStoreOverServeTests(JmapServeFixture fixture) => _fixture = fixture;

    private static byte[][] Corpus(int count) =>
        TestCorpus.NonEmptyMessageFiles().Take(count).Select(File.ReadAllBytes).ToArray();

    private JmapStore Store(string user, Action<JmapStoreOptions>? _ = null, bool moveToTrash = false) =>
        new(new JmapStoreOptions { Url = _fixture.Server.BaseUrl, Auth = JmapAuth.Basic(user, JmapServeFixture.PasswordOf(user)), MoveToTrash = moveToTrash });

    [Fact]
    public async Task Lists_and_retrieves_every_message_byte_exact_with_listed_sizes()
    {
        var messages = Corpus(25);
        var user = _fixture.NewUser(messages);
        using var store = Store(user);
        await using var maildrop = await store.OpenAsync(new MaildropRequest(user), CancellationToken.None);

        Assert.Equal(messages.Length, maildrop.Messages.Count);
        var expected = messages.Select(m => TestCorpus.ToWire(m)).OrderBy(Convert.ToHexString).ToList();
        var got = new List<byte[]>();
        for (var i = 0; i < maildrop.Messages.Count; i++)
        {
            var sink = new CollectingSink();
            await maildrop.WriteMessageAsync(i, sink, null, CancellationToken.None);
            Assert.Equal(maildrop.Messages[i].Size, sink.Bytes.Length);
            Assert.Equal(maildrop.Messages[i].Size, WireSize.Of(sink.Bytes));
            got.Add(sink.Bytes);
        }

        Assert.Equal(expected, got.OrderBy(Convert.ToHexString).ToList());
    }
}
