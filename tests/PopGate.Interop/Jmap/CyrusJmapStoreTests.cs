using System.Security.Cryptography;
using PopGate.Protocol;
using PopGate.Stores;
using PopGate.Stores.Jmap;
using PopGate.Testing;

namespace PopGate.Interop.Jmap;

/// <summary>A private Cyrus with IMAP and JMAP, and a user per test so the tests stay independent.</summary>
public sealed class CyrusJmapFixture : IAsyncLifetime
{
    public static readonly string[] Users = ["jexact", "jdestroy", "jkeep", "jauth", "jtrash", "jchanges"];

    public CyrusServer Cyrus { get; private set; } = null!;

    public static string PasswordOf(string user) => "pw-" + user;

    public async Task InitializeAsync() =>
        Cyrus = await CyrusServer.StartAsync(new CyrusOptions { Tls = false, ExtraUsers = Users.Select(u => (u, PasswordOf(u))).ToList() });

    public async Task DisposeAsync() => await Cyrus.DisposeAsync();

    internal Task<RawImap> ImapAsync(string user) => RawImap.LoginAsync(Cyrus.ImapPort, user, PasswordOf(user));

    public JmapStore Store(string user, JmapSizeMode mode = JmapSizeMode.Trust, bool moveToTrash = false, string? password = null) =>
        new(new JmapStoreOptions
        {
            Url = new Uri($"http://127.0.0.1:{Cyrus.HttpPort}/"),
            Auth = JmapAuth.Basic(user, password ?? PasswordOf(user)),
            SizeMode = mode,
            MoveToTrash = moveToTrash,
        });

    /// <summary>Corpus messages with LF made CRLF (Cyrus refuses bare LF); nothing else changes.</summary>
    public static IReadOnlyList<byte[]> Messages(int skip, int take) =>
        TestCorpus.NonEmptyMessageFiles().Skip(skip).Take(take).Select(f => CrlfOnly(File.ReadAllBytes(f))).ToList();

    private static byte[] CrlfOnly(byte[] raw)
    {
        var output = new List<byte>(raw.Length + 64);
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == (byte)'\n' && (i == 0 || raw[i - 1] != (byte)'\r'))
            {
                output.Add((byte)'\r');
            }

            output.Add(raw[i]);
        }

        return output.ToArray();
    }
}

/// <summary>The JMAP store against real Cyrus JMAP, checked against what Cyrus's own IMAP serves.</summary>
public sealed class CyrusJmapStoreTests : IClassFixture<CyrusJmapFixture>
{
    private readonly CyrusJmapFixture _fixture;

    public CyrusJmapStoreTests(CyrusJmapFixture fixture) => _fixture = fixture;

    private static async Task<byte[]> RetrAsync(IMaildrop maildrop, int index)
    {
        var sink = new BytesSink();
        await maildrop.WriteMessageAsync(index, sink, null, CancellationToken.None);
        return sink.Bytes;
    }

    private static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private async Task<SortedDictionary<long, byte[]>> FillAsync(string user, IReadOnlyList<byte[]> messages)
    {
        await using var imap = await _fixture.ImapAsync(user);
        var accepted = await imap.AppendAsync(messages);
        Assert.Contains(true, accepted);
        return await imap.FetchAllAsync();
    }

    [Fact]
    public async Task Retr_is_byte_exact_with_imap_body_peek_and_sizes_are_the_octets_sent()
    {
        var imapBodies = await FillAsync("jexact", CyrusJmapFixture.Messages(0, 120));
        // Cyrus gives equal content one JMAP email (ids are content hashes), so compare distinct contents.
        var byHash = imapBodies.Values.GroupBy(Hash).ToDictionary(g => g.Key, g => g.First());

        string[] uids;
        using (var measuring = _fixture.Store("jexact", JmapSizeMode.Measure))
        await using (var maildrop = await measuring.OpenAsync(new MaildropRequest("jexact"), CancellationToken.None))
        {
            Assert.Equal(byHash.Count, maildrop.Messages.Count);
            var seen = new HashSet<string>();
            for (var i = 0; i < maildrop.Messages.Count; i++)
            {
                var bytes = await RetrAsync(maildrop, i);
                Assert.True(byHash.TryGetValue(Hash(bytes), out var imapBytes), $"message {i} differs from every IMAP body");
                Assert.Equal(imapBytes, bytes);
                Assert.Equal(maildrop.Messages[i].Size, WireSize.Of(bytes));
                seen.Add(Hash(bytes));
            }

            Assert.Equal(byHash.Count, seen.Count);
            uids = maildrop.Messages.Select(m => m.Uid).ToArray();
            Assert.All(uids, u => Assert.True(Pop3Limits.IsValidUid(u)));
        }

        // Trusting JMAP's sizes: exact once each blob went through a RETR, and the UIDLs and order never change.
        using var trusting = _fixture.Store("jexact");
        await using (var first = await trusting.OpenAsync(new MaildropRequest("jexact"), CancellationToken.None))
        {
            Assert.Equal(uids, first.Messages.Select(m => m.Uid).ToArray());
            for (var i = 0; i < first.Messages.Count; i++)
            {
                await RetrAsync(first, i);
            }
        }

        await using var second = await trusting.OpenAsync(new MaildropRequest("jexact"), CancellationToken.None);
        Assert.Equal(uids, second.Messages.Select(m => m.Uid).ToArray());
        for (var i = 0; i < second.Messages.Count; i++)
        {
            Assert.Equal(second.Messages[i].Size, WireSize.Of(await RetrAsync(second, i)));
        }
    }

    [Fact]
    public async Task Commit_destroys_exactly_the_deleted_messages()
    {
        await FillAsync("jdestroy", CyrusJmapFixture.Messages(200, 10));
        using var store = _fixture.Store("jdestroy");
        var kept = new List<string>();
        await using (var maildrop = await store.OpenAsync(new MaildropRequest("jdestroy"), CancellationToken.None))
        {
            int[] deleted = [1, 3, 5];
            for (var i = 0; i < maildrop.Messages.Count; i++)
            {
                var bytes = await RetrAsync(maildrop, i);
                if (!deleted.Contains(i))
                {
                    kept.Add(Hash(bytes));
                }
            }

            await maildrop.CommitAsync(deleted, CancellationToken.None);
        }

        await using var imap = await _fixture.ImapAsync("jdestroy");
        var left = await imap.FetchAllAsync();
        Assert.Equal(kept.Order(), left.Values.Select(Hash).Order());
    }

    [Fact]
    public async Task A_dropped_session_destroys_nothing()
    {
        var before = await FillAsync("jkeep", CyrusJmapFixture.Messages(220, 5));
        using var store = _fixture.Store("jkeep");
        await using (var maildrop = await store.OpenAsync(new MaildropRequest("jkeep"), CancellationToken.None))
        {
            await RetrAsync(maildrop, 0);
        }

        await using var imap = await _fixture.ImapAsync("jkeep");
        Assert.Equal(before.Keys, (await imap.FetchAllAsync()).Keys);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_with_AUTH()
    {
        using var store = _fixture.Store("jauth", password: "not-the-password");
        var e = await Assert.ThrowsAsync<MaildropException>(async () => await store.OpenAsync(new MaildropRequest("jauth"), CancellationToken.None));
        Assert.Equal(ResponseCodes.Auth, e.Code);
    }

    [Fact]
    public async Task Deleted_messages_can_go_to_the_trash_mailbox_instead()
    {
        await FillAsync("jtrash", CyrusJmapFixture.Messages(230, 4));
        await using (var imap = await _fixture.ImapAsync("jtrash"))
        {
            // Cyrus here uses the standard namespace: personal folders live under INBOX.
            await imap.RequireOkAsync("CREATE INBOX/Trash (USE (\\Trash))");
        }

        using var store = _fixture.Store("jtrash", moveToTrash: true);
        string moved;
        await using (var maildrop = await store.OpenAsync(new MaildropRequest("jtrash"), CancellationToken.None))
        {
            moved = Hash(await RetrAsync(maildrop, 2));
            await maildrop.CommitAsync([2], CancellationToken.None);
        }

        await using var check = await _fixture.ImapAsync("jtrash");
        Assert.Equal(3, (await check.FetchAllAsync()).Count);
        var trash = await check.FetchAllAsync("INBOX/Trash");
        Assert.Equal([moved], trash.Values.Select(Hash).ToArray());
    }

    [Fact]
    public async Task A_later_login_takes_Email_changes_for_mail_added_expunged_moved_and_flagged_between_sessions()
    {
        var uids = await FillAsync("jchanges", CyrusJmapFixture.Messages(240, 6));
        using var store = _fixture.Store("jchanges");
        await using (var first = await store.OpenAsync(new MaildropRequest("jchanges"), CancellationToken.None))
        {
            Assert.False(((JmapMaildrop)first).ListedFromChanges);
            Assert.Equal(6, first.Messages.Count);
        }

        var byUid = uids.Keys.ToArray();
        await using (var imap = await _fixture.ImapAsync("jchanges"))
        {
            await imap.RequireOkAsync("SELECT INBOX");
            await imap.RequireOkAsync($"UID STORE {byUid[0]} +FLAGS (\\Deleted)");
            await imap.RequireOkAsync("EXPUNGE");
            await imap.RequireOkAsync("CREATE INBOX/Other");
            await imap.RequireOkAsync($"UID MOVE {byUid[1]} INBOX/Other");
            await imap.RequireOkAsync($"UID STORE {byUid[2]} +FLAGS (\\Seen \\Flagged)");
            Assert.DoesNotContain(false, await imap.AppendAsync(CyrusJmapFixture.Messages(246, 2)));
        }

        (string Uid, long Size)[] listed;
        var hashes = new List<string>();
        await using (var second = await store.OpenAsync(new MaildropRequest("jchanges"), CancellationToken.None))
        {
            Assert.True(((JmapMaildrop)second).ListedFromChanges);
            listed = second.Messages.Select(m => (m.Uid, m.Size)).ToArray();
            for (var i = 0; i < second.Messages.Count; i++)
            {
                hashes.Add(Hash(await RetrAsync(second, i)));
            }
        }

        await using (var check = await _fixture.ImapAsync("jchanges"))
        {
            Assert.Equal((await check.FetchAllAsync()).Values.Select(Hash).Order(), hashes.Order());
        }

        Assert.Equal(6, listed.Length);
        using var fresh = _fixture.Store("jchanges");
        await using var full = await fresh.OpenAsync(new MaildropRequest("jchanges"), CancellationToken.None);
        Assert.False(((JmapMaildrop)full).ListedFromChanges);
        Assert.Equal(full.Messages.Select(m => (m.Uid, m.Size)).ToArray(), listed);
    }
}
