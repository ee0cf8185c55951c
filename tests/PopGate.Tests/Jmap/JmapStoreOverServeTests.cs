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

    private JmapStore Store(string user, bool moveToTrash = false) =>
        new(new JmapStoreOptions { Url = _fixture.Server.BaseUrl, Auth = JmapAuth.Basic(user, JmapServeFixture.PasswordOf(user)), MoveToTrash = moveToTrash });

    private static async Task<byte[]> RetrAsync(IMaildrop maildrop, int index)
    {
        var sink = new CollectingSink();
        await maildrop.WriteMessageAsync(index, sink, null, CancellationToken.None);
        return sink.Bytes;
    }

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

    [Fact]
    public async Task Uidls_are_valid_and_stable_across_sessions_and_order_is_stable()
    {
        var user = _fixture.NewUser(Corpus(12));
        using var store = Store(user);
        string[] first;
        await using (var maildrop = await store.OpenAsync(new MaildropRequest(user), CancellationToken.None))
        {
            first = maildrop.Messages.Select(m => m.Uid).ToArray();
        }

        Assert.All(first, uid => Assert.True(Pop3Limits.IsValidUid(uid), uid));
        Assert.Equal(first.Length, first.Distinct().Count());
        using var other = Store(user);
        await using var again = await other.OpenAsync(new MaildropRequest(user), CancellationToken.None);
        Assert.Equal(first, again.Messages.Select(m => m.Uid).ToArray());
    }

    [Fact]
    public async Task Top_stops_the_download_when_the_sink_has_enough()
    {
        var big = TestCorpus.NonEmptyMessageFiles().Select(File.ReadAllBytes).OrderByDescending(b => b.Length).First();
        var user = _fixture.NewUser([big]);
        using var store = Store(user);
        await using var maildrop = await store.OpenAsync(new MaildropRequest(user), CancellationToken.None);
        var sink = new CollectingSink(stopAfter: 100);
        await maildrop.WriteMessageAsync(0, sink, 0, CancellationToken.None);
        Assert.True(sink.Bytes.Length >= 100);
        Assert.True(sink.Bytes.Length < TestCorpus.ToWire(big).Length);
        Assert.Equal(TestCorpus.ToWire(big).AsSpan(0, sink.Bytes.Length).ToArray(), sink.Bytes);

        // The same maildrop serves a whole RETR afterwards.
        Assert.Equal(TestCorpus.ToWire(big), await RetrAsync(maildrop, 0));
    }

    [Fact]
    public async Task Commit_destroys_exactly_the_deleted_messages()
    {
        var messages = Corpus(8);
        var user = _fixture.NewUser(messages);
        using var store = Store(user);
        string[] kept;
        await using (var maildrop = await store.OpenAsync(new MaildropRequest(user), CancellationToken.None))
        {
            var deleted = new[] { 1, 4, 6 };
            var bodies = new List<byte[]>();
            for (var i = 0; i < maildrop.Messages.Count; i++)
            {
                bodies.Add(await RetrAsync(maildrop, i));
            }

            kept = Enumerable.Range(0, 8).Except(deleted).Select(i => maildrop.Messages[i].Uid).ToArray();
            await maildrop.CommitAsync(deleted, CancellationToken.None);
        }

        Assert.Equal(5, _fixture.FilesOf(user).Length);
        await using var after = await store.OpenAsync(new MaildropRequest(user), CancellationToken.None);
        Assert.Equal(kept, after.Messages.Select(m => m.Uid).ToArray());
    }

    [Fact]
    public async Task Dispose_without_commit_destroys_nothing()
    {
        var user = _fixture.NewUser(Corpus(5));
        using var store = Store(user);
        await using (var maildrop = await store.OpenAsync(new MaildropRequest(user), CancellationToken.None))
        {
            await RetrAsync(maildrop, 0);
        }

        Assert.Equal(5, _fixture.FilesOf(user).Length);
        await using var again = await store.OpenAsync(new MaildropRequest(user), CancellationToken.None);
        Assert.Equal(5, again.Messages.Count);
    }

    [Fact]
    public async Task Wrong_password_is_refused_with_AUTH()
    {
        var user = _fixture.NewUser(Corpus(1));
        using var store = new JmapStore(new JmapStoreOptions { Url = _fixture.Server.BaseUrl, Auth = JmapAuth.Basic(user, "wrong") });
        var e = await Assert.ThrowsAsync<MaildropException>(async () => await store.OpenAsync(new MaildropRequest(user), CancellationToken.None));
        Assert.Equal(ResponseCodes.Auth, e.Code);
    }

    [Fact]
    public async Task Pass_through_uses_the_pop3_credentials()
    {
        var user = _fixture.NewUser(Corpus(2));
        using var store = new JmapStore(new JmapStoreOptions { Url = _fixture.Server.BaseUrl, Auth = JmapAuth.PassThroughBasic });
        await using (var maildrop = await store.OpenAsync(new MaildropRequest(user, JmapServeFixture.PasswordOf(user)), CancellationToken.None))
        {
            Assert.Equal(2, maildrop.Messages.Count);
        }

        var e = await Assert.ThrowsAsync<MaildropException>(async () => await store.OpenAsync(new MaildropRequest(user, "nope"), CancellationToken.None));
        Assert.Equal(ResponseCodes.Auth, e.Code);
    }

    [Fact]
    public async Task A_second_open_of_the_same_account_is_IN_USE()
    {
        var user = _fixture.NewUser(Corpus(1));
        using var store = Store(user);
        await using var first = await store.OpenAsync(new MaildropRequest(user), CancellationToken.None);
        var e = await Assert.ThrowsAsync<MaildropException>(async () => await store.OpenAsync(new MaildropRequest(user), CancellationToken.None));
        Assert.Equal(ResponseCodes.InUse, e.Code);
    }

    [Fact]
    public async Task New_mail_during_the_session_does_not_stop_QUIT()
    {
        var messages = Corpus(6);
        var user = _fixture.NewUser(messages.Take(4));
        using var store = Store(user);
        await using (var maildrop = await store.OpenAsync(new MaildropRequest(user), CancellationToken.None))
        {
            _fixture.AddMessages(user, messages.Skip(4));
            await maildrop.CommitAsync([0, 1], CancellationToken.None);
        }

        Assert.Equal(4, _fixture.FilesOf(user).Length);
    }

    [Fact]
    public async Task A_change_to_a_deleted_message_fails_QUIT_with_SYS_TEMP_and_removes_nothing()
    {
        var user = _fixture.NewUser(Corpus(4));
        using var store = Store(user);
        await using var maildrop = await store.OpenAsync(new MaildropRequest(user), CancellationToken.None);
        var files = _fixture.FilesOf(user);
        // Another client removes one of the messages this session deletes.
        File.Delete(Path.Combine(_fixture.Root, user, "new", files[0]));
        var deleted = Enumerable.Range(0, 4).ToArray();
        var e = await Assert.ThrowsAsync<MaildropException>(async () => await maildrop.CommitAsync(deleted, CancellationToken.None));
        Assert.Equal(ResponseCodes.SysTemp, e.Code);
        Assert.Contains("4 of 4", e.Message, StringComparison.Ordinal);
        Assert.Equal(3, _fixture.FilesOf(user).Length);
    }

    [Fact]
    public async Task Moving_to_trash_needs_a_trash_mailbox()
    {
        var user = _fixture.NewUser(Corpus(1));
        using var store = Store(user, moveToTrash: true);
        var e = await Assert.ThrowsAsync<MaildropException>(async () => await store.OpenAsync(new MaildropRequest(user), CancellationToken.None));
        Assert.Equal(ResponseCodes.SysPerm, e.Code);
        Assert.Contains("trash", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_server_is_SYS_TEMP()
    {
        using var store = new JmapStore(new JmapStoreOptions
        {
            Url = new Uri($"http://127.0.0.1:{FreePort.Next()}/"),
            Auth = JmapAuth.Basic("a", "b"),
            ConnectTimeout = TimeSpan.FromSeconds(2),
        });
        var e = await Assert.ThrowsAsync<MaildropException>(async () => await store.OpenAsync(new MaildropRequest("a"), CancellationToken.None));
        Assert.Equal(ResponseCodes.SysTemp, e.Code);
    }
}
