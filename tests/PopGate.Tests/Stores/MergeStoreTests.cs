using System.Text;
using PopGate.Protocol;
using PopGate.Stores;
using PopGate.Stores.Maildir;
using PopGate.Stores.Mbox;
using PopGate.Stores.Merge;
using PopGate.Testing;

namespace PopGate.Tests.Stores;

public sealed class MergeStoreTests : IDisposable
{
    private readonly TempDir _dir = new("popgate-merge");

    public void Dispose() => _dir.Dispose();

    private string Maildir(string name, params string[] messages)
    {
        var root = _dir.Sub(name);
        foreach (var sub in new[] { "tmp", "new", "cur" })
        {
            Directory.CreateDirectory(Path.Combine(root, sub));
        }

        for (var i = 0; i < messages.Length; i++)
        {
            File.WriteAllText(Path.Combine(root, "new", $"{1700000000 + i}.{name}"), messages[i]);
        }

        return root;
    }

    [Fact]
    public async Task Lists_all_parts_with_prefixed_uids_and_routes_reads_and_deletions()
    {
        var a = Maildir("a", "Subject: a1\n\nA1\n", "Subject: a2\n\nA2\n");
        var mbox = Path.Combine(_dir.Path, "b.mbox");
        await File.WriteAllBytesAsync(mbox, MboxWriter.Mboxrd([Encoding.ASCII.GetBytes("Subject: b1\n\nB1\n")]));
        var store = new MergeStore([new MergePart("work", new MaildirStore(a)), new MergePart("home", new MboxStore(mbox))]);

        await using (var maildrop = await store.OpenAsync(new MaildropRequest("u"), default))
        {
            Assert.Equal(3, maildrop.Messages.Count);
            Assert.Equal("work-1700000000.a", maildrop.Messages[0].Uid);
            Assert.StartsWith("home-", maildrop.Messages[2].Uid, StringComparison.Ordinal);
            Assert.Equal("Subject: b1\r\n\r\nB1\r\n", Encoding.ASCII.GetString(await StoreHarness.ReadWireAsync(maildrop, 2)));
            Assert.Equal("Subject: a2\r\n\r\nA2\r\n", Encoding.ASCII.GetString(await StoreHarness.ReadWireAsync(maildrop, 1)));
            await maildrop.CommitAsync([0, 2], default);
        }

        Assert.Single(Directory.GetFiles(Path.Combine(a, "new")));
        await using var after = await store.OpenAsync(new MaildropRequest("u"), default);
        Assert.Equal(["work-1700000001.a"], after.Messages.Select(m => m.Uid));
    }

    [Fact]
    public async Task One_unavailable_part_refuses_the_login_unless_told_to_serve_the_rest()
    {
        var a = Maildir("a", "Subject: a1\n\nA1\n");
        var garbage = Path.Combine(_dir.Path, "broken.mbox");
        await File.WriteAllTextAsync(garbage, "not an mbox\n");
        var parts = new[] { new MergePart("a", new MaildirStore(a)), new MergePart("b", new MboxStore(garbage)) };

        var error = await Assert.ThrowsAsync<MaildropException>(async () => await new MergeStore(parts).OpenAsync(new MaildropRequest("u"), default));
        Assert.Equal(ResponseCodes.SysTemp, error.Code);
        // The part that did open was released again.
        await using (var alone = await new MaildirStore(a).OpenAsync(new MaildropRequest("u"), default))
        {
            Assert.Single(alone.Messages);
        }

        await using var partial = await new MergeStore(parts, serveAvailable: true).OpenAsync(new MaildropRequest("u"), default);
        Assert.Single(partial.Messages);
    }

    [Fact]
    public async Task A_locked_part_gives_in_use()
    {
        var a = Maildir("a", "Subject: a1\n\nA1\n");
        var b = Maildir("b", "Subject: b1\n\nB1\n");
        var store = new MergeStore([new MergePart("a", new MaildirStore(a)), new MergePart("b", new MaildirStore(b))]);
        await using var holder = await new MaildirStore(b).OpenAsync(new MaildropRequest("u"), default);
        var error = await Assert.ThrowsAsync<MaildropException>(async () => await store.OpenAsync(new MaildropRequest("u"), default));
        Assert.Equal(ResponseCodes.InUse, error.Code);
    }
}
