using PopGate.Stores.Mbox;
using PopGate.Testing;

namespace PopGate.Tests.Stores;

public sealed class DotLockTests
{
    [Fact]
    public async Task A_lock_names_its_holder_from_the_moment_it_exists_and_leaves_nothing_behind()
    {
        using var dir = new TempDir("dotlock");
        var path = Path.Combine(dir.Path, "box.lock");

        using (var held = await DotLock.AcquireAsync(path, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5), CancellationToken.None))
        {
            Assert.NotNull(held);
            Assert.Equal($"{Environment.ProcessId}\n", await File.ReadAllTextAsync(path));

            // Held by a live process (this one): a second taker waits, then gives up with a clear error.
            var second = await Assert.ThrowsAsync<IOException>(async () =>
                await DotLock.AcquireAsync(path, TimeSpan.FromMilliseconds(300), TimeSpan.FromMinutes(5), CancellationToken.None));
            Assert.Contains("locked by another program", second.Message, StringComparison.Ordinal);
        }

        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public async Task An_empty_lock_of_an_unknown_holder_is_respected_until_its_stale_age()
    {
        using var dir = new TempDir("dotlock");
        var path = Path.Combine(dir.Path, "box.lock");
        await File.WriteAllTextAsync(path, string.Empty);

        await Assert.ThrowsAsync<IOException>(async () =>
            await DotLock.AcquireAsync(path, TimeSpan.FromMilliseconds(300), TimeSpan.FromMinutes(5), CancellationToken.None));

        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - TimeSpan.FromMinutes(10));
        using var taken = await DotLock.AcquireAsync(path, TimeSpan.FromMilliseconds(300), TimeSpan.FromMinutes(5), CancellationToken.None);
        Assert.NotNull(taken);
    }

    [Fact]
    public async Task Files_left_by_a_process_killed_while_taking_the_lock_are_removed_and_others_kept()
    {
        using var dir = new TempDir("dotlock");
        var path = Path.Combine(dir.Path, "box.lock");
        using var exited = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/bin/true") { UseShellExecute = false })!;
        await exited.WaitForExitAsync();
        var dead = $"{path}.{exited.Id}.{Guid.NewGuid():N}";
        var live = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}";
        var unrelated = Path.Combine(dir.Path, "box.lock.notes");
        foreach (var file in new[] { dead, live, unrelated })
        {
            await File.WriteAllTextAsync(file, "x");
        }

        using (var held = await DotLock.AcquireAsync(path, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5), CancellationToken.None))
        {
            Assert.NotNull(held);
        }

        Assert.False(File.Exists(dead));
        Assert.True(File.Exists(live));
        Assert.True(File.Exists(unrelated));
    }
}
