using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using PopGate.Stores;
using PopGate.Stores.Jmap;
using PopGate.Testing;

namespace PopGate.Tests.Jmap;

/// <summary>
/// A later login starts from the store's kept listing and asks `jmap-serve` only what changed (Email/changes):
/// the result must be exactly what a full listing gives, and a state the server cannot answer from falls back to one.
/// </summary>
public sealed class JmapListingCacheTests : IClassFixture<JmapServeFixture>
{
    private readonly JmapServeFixture _fixture;

    public JmapListingCacheTests(JmapServeFixture fixture) => _fixture = fixture;

    private static byte[][] Corpus(int skip, int count) =>
        TestCorpus.NonEmptyMessageFiles().Skip(skip).Take(count).Select(File.ReadAllBytes).ToArray();

    private JmapStoreOptions Options(string user, string? stateDirectory = null) =>
        new() { Url = _fixture.Server.BaseUrl, Auth = JmapAuth.Basic(user, JmapServeFixture.PasswordOf(user)), StateDirectory = stateDirectory };

    /// <summary>What a store that has never seen the account lists: numbering, UIDL and size of every message.</summary>
    private async Task<(string Uid, long Size)[]> FullListingAsync(string user)
    {
        using var store = new JmapStore(Options(user));
        await using var maildrop = await store.OpenAsync(new MaildropRequest(user), CancellationToken.None);
        Assert.False(((JmapMaildrop)maildrop).ListedFromChanges);
        return maildrop.Messages.Select(m => (m.Uid, m.Size)).ToArray();
    }

    private void RemoveFile(string user, string name)
    {
        foreach (var sub in new[] { "new", "cur" })
        {
            File.Delete(Path.Combine(_fixture.Root, user, sub, name));
        }
    }

    [Fact]
    public async Task Mail_added_and_removed_between_sessions_is_listed_as_a_full_listing_lists_it_and_retrieved()
    {
        var messages = Corpus(50, 10);
        var user = _fixture.NewUser(messages.Take(6));
        using var store = new JmapStore(Options(user));
        await using (var first = await store.OpenAsync(new MaildropRequest(user), CancellationToken.None))
        {
            Assert.False(((JmapMaildrop)first).ListedFromChanges);
            Assert.Equal(6, first.Messages.Count);
            await first.CommitAsync([2], CancellationToken.None);
        }

        // Another client removes one more; four arrive.
        RemoveFile(user, _fixture.FilesOf(user)[0]);
        _fixture.AddMessages(user, messages.Skip(6));

        (string Uid, long Size)[] listed;
        var bodies = new List<byte[]>();
        await using (var second = await store.OpenAsync(new MaildropRequest(user), CancellationToken.None))
        {
            Assert.True(((JmapMaildrop)second).ListedFromChanges);
            listed = second.Messages.Select(m => (m.Uid, m.Size)).ToArray();
            for (var i = 0; i < second.Messages.Count; i++)
            {
                var sink = new CollectingSink();
                await second.WriteMessageAsync(i, sink, null, CancellationToken.None);
                Assert.Equal(second.Messages[i].Size, sink.Bytes.Length);
                bodies.Add(sink.Bytes);
            }
        }

        Assert.Equal(8, listed.Length);
        Assert.Equal(await FullListingAsync(user), listed);
        foreach (var added in messages.Skip(6))
        {
            Assert.Contains(TestCorpus.ToWire(added), bodies);
        }

        // Nothing changed since: the kept listing stands as it is.
        await using var third = await store.OpenAsync(new MaildropRequest(user), CancellationToken.None);
        Assert.True(((JmapMaildrop)third).ListedFromChanges);
        Assert.Equal(listed, third.Messages.Select(m => (m.Uid, m.Size)).ToArray());
    }

    [Fact]
    public async Task A_restarted_store_starts_from_its_state_directory_and_an_unknown_state_falls_back_to_a_full_listing()
    {
        using var dir = new TempDir("jmap-state");
        var messages = Corpus(70, 7);
        var user = _fixture.NewUser(messages.Take(5));
        using (var store = new JmapStore(Options(user, dir.Path)))
        {
            await using var maildrop = await store.OpenAsync(new MaildropRequest(user), CancellationToken.None);
            Assert.False(((JmapMaildrop)maildrop).ListedFromChanges);
        }

        var file = Assert.Single(Directory.GetFiles(dir.Path));
        _fixture.AddMessages(user, messages.Skip(5).Take(1));
        using (var restarted = new JmapStore(Options(user, dir.Path)))
        {
            await using var maildrop = await restarted.OpenAsync(new MaildropRequest(user), CancellationToken.None);
            Assert.True(((JmapMaildrop)maildrop).ListedFromChanges);
            Assert.Equal(6, maildrop.Messages.Count);
        }

        // A state the server does not know, and a listing that no longer matches the mailbox: the server is asked
        // for the changes, cannot tell them, and the mailbox is listed in full.
        var kept = JsonNode.Parse(File.ReadAllText(file))!;
        kept["state"] = "s-never-seen";
        kept["emails"]!.AsArray().Add(new JsonArray("Mphantom", "Bphantom", 10, 0L));
        File.WriteAllText(file, kept.ToJsonString());
        _fixture.AddMessages(user, messages.Skip(6));
        (string Uid, long Size)[] listed;
        using (var restarted = new JmapStore(Options(user, dir.Path)))
        {
            await using var maildrop = await restarted.OpenAsync(new MaildropRequest(user), CancellationToken.None);
            Assert.False(((JmapMaildrop)maildrop).ListedFromChanges);
            listed = maildrop.Messages.Select(m => (m.Uid, m.Size)).ToArray();
        }

        Assert.Equal(7, listed.Length);
        Assert.Equal(await FullListingAsync(user), listed);
        Assert.DoesNotContain("s-never-seen", File.ReadAllText(file), StringComparison.Ordinal);
        Assert.DoesNotContain("Mphantom", File.ReadAllText(file), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_damaged_state_file_costs_a_full_listing()
    {
        using var dir = new TempDir("jmap-state");
        var user = _fixture.NewUser(Corpus(80, 3));
        using (var store = new JmapStore(Options(user, dir.Path)))
        {
            await using var maildrop = await store.OpenAsync(new MaildropRequest(user), CancellationToken.None);
        }

        var file = Assert.Single(Directory.GetFiles(dir.Path));
        File.WriteAllText(file, File.ReadAllText(file)[..40]);
        using var restarted = new JmapStore(Options(user, dir.Path));
        await using var again = await restarted.OpenAsync(new MaildropRequest(user), CancellationToken.None);
        Assert.False(((JmapMaildrop)again).ListedFromChanges);
        Assert.Equal(3, again.Messages.Count);
    }
}

/// <summary>Email/changes against a server whose maxObjectsInGet (and so maxChanges) is 3 and which allows 4 calls a request.</summary>
public sealed class JmapListingCacheLimitsTests : IClassFixture<TinyLimitsFixture>
{
    private readonly TinyLimitsFixture _fixture;

    public JmapListingCacheLimitsTests(TinyLimitsFixture fixture) => _fixture = fixture;

    private async Task<(bool FromChanges, (string Uid, long Size)[] Listed)> OpenAsync(JmapStore store, string user)
    {
        await using var maildrop = await store.OpenAsync(new MaildropRequest(user), CancellationToken.None);
        return (((JmapMaildrop)maildrop).ListedFromChanges, maildrop.Messages.Select(m => (m.Uid, m.Size)).ToArray());
    }

    /// <summary>Has the server record its current state, as any other client's request would.</summary>
    private async Task TouchAsync(string user)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_fixture.Server.BaseUrl, "/jmap/api/"))
        {
            Content = new StringContent(
                $$"""{"using":["urn:ietf:params:jmap:core","urn:ietf:params:jmap:mail"],"methodCalls":[["Email/query",{"accountId":"{{user}}"},"q"]]}""",
                Encoding.UTF8,
                "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{JmapServeFixture.PasswordOf(user)}")));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Few_changes_come_from_Email_changes_and_more_than_maxChanges_fall_back_to_a_full_listing()
    {
        var messages = TestCorpus.NonEmptyMessageFiles().Skip(90).Take(15).Select(File.ReadAllBytes).ToArray();
        var user = _fixture.NewUser(messages.Take(4));
        using var store = new JmapStore(new JmapStoreOptions { Url = _fixture.Server.BaseUrl, Auth = JmapAuth.Basic(user, JmapServeFixture.PasswordOf(user)) });
        using var fresh = new JmapStore(new JmapStoreOptions { Url = _fixture.Server.BaseUrl, Auth = JmapAuth.Basic(user, JmapServeFixture.PasswordOf(user)) });
        Assert.False((await OpenAsync(store, user)).FromChanges);

        // Two new messages: within maxChanges (the mailbox and the changes take separate requests here).
        _fixture.AddMessages(user, messages.Skip(4).Take(2));
        var small = await OpenAsync(store, user);
        Assert.True(small.FromChanges);
        Assert.Equal(6, small.Listed.Length);

        // Five at once: one step larger than maxChanges, which the server cannot split.
        _fixture.AddMessages(user, messages.Skip(6).Take(5));
        var large = await OpenAsync(store, user);
        Assert.False(large.FromChanges);
        Assert.Equal(11, large.Listed.Length);

        // Two steps of two, seen by the server in between: more than maxChanges in all (hasMoreChanges).
        _fixture.AddMessages(user, messages.Skip(11).Take(2));
        await TouchAsync(user);
        _fixture.AddMessages(user, messages.Skip(13).Take(2));
        var stepped = await OpenAsync(store, user);
        Assert.False(stepped.FromChanges);
        Assert.Equal(15, stepped.Listed.Length);
        Assert.Equal((await OpenAsync(fresh, user)).Listed, stepped.Listed);
    }
}
