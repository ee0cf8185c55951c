using System.Text;
using PopGate.Stores;
using PopGate.Stores.Maildir;
using PopGate.Testing;

namespace PopGate.Tests.Stores;

/// <summary>
/// Maildir listings reused between logins: kept only for folders whose last change is old enough, and never
/// hiding a delivery, a deletion or a move made afterwards.
/// </summary>
public sealed class MaildirListingCacheTests : IDisposable
{
    private readonly TempDir _dir = new("maildir-listing");

    private string Root => Path.Combine(_dir.Path, "Maildir");

    [Fact]
    public async Task A_fresh_maildir_is_listed_but_not_kept()
    {
        Deliver("new", 3);
        Assert.Equal(3, await CountAsync());
        Assert.False(MaildirListingCache.Holds(Root));
    }

    [Fact]
    public async Task A_settled_maildir_is_kept_and_a_later_delivery_is_seen()
    {
        Deliver("new", 3);
        Settle();
        Assert.Equal(3, await CountAsync());
        Assert.True(MaildirListingCache.Holds(Root));
        Assert.Equal(3, await CountAsync());

        Deliver("new", 1, first: 10);
        Assert.Equal(4, await CountAsync());
    }

    [Fact]
    public async Task Deletions_at_quit_are_seen_by_the_next_login()
    {
        Deliver("new", 4);
        Settle();
        var store = new MaildirStore(Root);
        var maildrop = await store.OpenAsync(new MaildropRequest("u", null), CancellationToken.None);
        await using (maildrop)
        {
            Assert.True(MaildirListingCache.Holds(Root));
            await maildrop.CommitAsync([0, 2], CancellationToken.None);
        }

        Assert.Equal(2, await CountAsync());
    }

    [Fact]
    public async Task A_message_moved_to_cur_by_another_reader_is_listed_once_and_readable()
    {
        Deliver("new", 2);
        Settle();
        Assert.Equal(2, await CountAsync());
        var name = Path.GetFileName(Directory.GetFiles(Path.Combine(Root, "new")).Order(StringComparer.Ordinal).First());
        File.Move(Path.Combine(Root, "new", name), Path.Combine(Root, "cur", name + ":2,S"));

        var maildrop = await new MaildirStore(Root).OpenAsync(new MaildropRequest("u", null), CancellationToken.None);
        await using (maildrop)
        {
            Assert.Equal(2, maildrop.Messages.Count);
            Assert.Contains(maildrop.Messages, m => m.Uid == name);
            for (var i = 0; i < 2; i++)
            {
                var wire = await StoreHarness.ReadWireAsync(maildrop, i);
                Assert.Equal(maildrop.Messages[i].Size, wire.Length);
            }
        }
    }

    private void Deliver(string folder, int count, int first = 0)
    {
        foreach (var sub in new[] { "tmp", "new", "cur" })
        {
            Directory.CreateDirectory(Path.Combine(Root, sub));
        }

        for (var i = first; i < first + count; i++)
        {
            File.WriteAllText(Path.Combine(Root, folder, $"17000000{i:00}.M{i}.test"), $"Subject: {i}\n\nbody {i}\n", Encoding.ASCII);
        }
    }

    /// <summary>Dates the folders' last change an hour back, as for mail delivered long before the login.</summary>
    private void Settle()
    {
        foreach (var sub in new[] { "new", "cur" })
        {
            Directory.SetLastWriteTimeUtc(Path.Combine(Root, sub), DateTime.UtcNow.AddHours(-1));
        }
    }

    private async Task<int> CountAsync()
    {
        var maildrop = await new MaildirStore(Root).OpenAsync(new MaildropRequest("u", null), CancellationToken.None);
        await using (maildrop)
        {
            return maildrop.Messages.Count;
        }
    }

    public void Dispose() => _dir.Dispose();
}
