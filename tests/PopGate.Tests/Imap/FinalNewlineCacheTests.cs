using PopGate.Stores.Imap;
using PopGate.Testing;

namespace PopGate.Tests.Imap;

/// <summary>The final-newline results survive a restart through the state directory, and only for their own folder.</summary>
public sealed class FinalNewlineCacheTests
{
    private static string NewKey(uint validity) =>
        FinalNewlineCache.Key(new ImapStoreOptions { Host = "cache-test-" + Guid.NewGuid().ToString("N") }, "alice", "INBOX", validity);

    [Fact]
    public void A_restart_reads_back_what_was_checked()
    {
        using var dir = new TempDir("final-newline");
        var key = NewKey(7);
        FinalNewlineCache.Record(key, 40, [3, 17], dir.Path);
        FinalNewlineCache.Record(key, 55, [50], dir.Path);
        FinalNewlineCache.Forget(key);
        Assert.False(FinalNewlineCache.TryGet(key, 3, out _));

        FinalNewlineCache.Load(key, dir.Path);

        Assert.True(FinalNewlineCache.TryGet(key, 3, out var lacking3) && lacking3);
        Assert.True(FinalNewlineCache.TryGet(key, 50, out var lacking50) && lacking50);
        Assert.True(FinalNewlineCache.TryGet(key, 4, out var lacking4) && !lacking4);
        Assert.False(FinalNewlineCache.TryGet(key, 56, out _));
    }

    [Fact]
    public void Another_folder_or_a_damaged_file_starts_afresh()
    {
        using var dir = new TempDir("final-newline");
        var key = NewKey(1);
        FinalNewlineCache.Record(key, 10, [2], dir.Path);
        var file = Assert.Single(Directory.GetFiles(dir.Path));
        FinalNewlineCache.Forget(key);
        File.WriteAllText(file, key + "\nnot a number\n");

        FinalNewlineCache.Load(key, dir.Path);
        Assert.False(FinalNewlineCache.TryGet(key, 2, out _));

        FinalNewlineCache.Record(key, 10, [2], dir.Path);
        FinalNewlineCache.Forget(key);
        var other = NewKey(2);
        File.Copy(file, FinalNewlineCache.PathOf(other, dir.Path));
        FinalNewlineCache.Load(other, dir.Path);
        Assert.False(FinalNewlineCache.TryGet(other, 2, out _));
        FinalNewlineCache.Load(key, dir.Path);
        Assert.True(FinalNewlineCache.TryGet(key, 2, out var lacking) && lacking);
    }
}
