using System.Text;
using PopGate.Auth;
using PopGate.Testing;

namespace PopGate.Tests.Auth;

public sealed class UserDatabaseReloadTests : IDisposable
{
    private readonly TempDir _dir = new("popgate-reload");
    private readonly string _path;

    public UserDatabaseReloadTests()
    {
        _path = Path.Combine(_dir.Path, "users");
        Write("alice:{PLAIN}one\n");
    }

    public void Dispose() => _dir.Dispose();

    private void Write(string content, DateTime? modified = null)
    {
        File.WriteAllText(_path, content, new UTF8Encoding(false));
        File.SetLastWriteTimeUtc(_path, modified ?? DateTime.UtcNow);
    }

    [Fact]
    public void Edits_take_effect_and_an_untouched_file_is_not_read_again()
    {
        var db = UserDatabase.Load(_path);
        Assert.Equal(UsersFileReload.Unchanged, db.ReloadIfChanged());

        Write("alice:{PLAIN}one\nbob:{PLAIN}two\n");
        Assert.Equal(UsersFileReload.Reloaded, db.ReloadIfChanged());
        Assert.True(db.TryGet("bob", out _));
        Assert.Equal(UsersFileReload.Unchanged, db.ReloadIfChanged());
    }

    [Fact]
    public void A_same_size_edit_is_seen_through_the_modification_time()
    {
        var start = DateTime.UtcNow.AddMinutes(-10);
        Write("alice:{PLAIN}one\n", start);
        var db = UserDatabase.Load(_path);
        Write("alice:{PLAIN}two\n", start.AddSeconds(1));
        Assert.Equal(UsersFileReload.Reloaded, db.ReloadIfChanged());
        Assert.True(db.TryGet("alice", out var alice));
        Assert.True(db.VerifyPassword(alice, "two"));
        Assert.False(db.VerifyPassword(alice, "one"));
    }

    [Fact]
    public void A_broken_file_keeps_the_old_users_and_is_reported_once()
    {
        var db = UserDatabase.Load(_path);
        Write("alice:{PLAIN}one\nbob:{NOPE}x\n");
        Assert.Equal(UsersFileReload.Failed, db.ReloadIfChanged());
        Assert.NotNull(db.LastReloadError);
        Assert.Equal(2, db.LastReloadError!.LineNumber);
        Assert.True(db.TryGet("alice", out _));
        Assert.False(db.TryGet("bob", out _));
        Assert.Equal(UsersFileReload.Unchanged, db.ReloadIfChanged());
        Assert.NotNull(db.LastReloadError);

        Write("alice:{PLAIN}one\nbob:{PLAIN}x\n");
        Assert.Equal(UsersFileReload.Reloaded, db.ReloadIfChanged());
        Assert.Null(db.LastReloadError);
        Assert.True(db.TryGet("bob", out _));
    }

    [Fact]
    public void A_deleted_file_keeps_the_old_users_until_it_is_back()
    {
        var db = UserDatabase.Load(_path);
        File.Delete(_path);
        Assert.Equal(UsersFileReload.Failed, db.ReloadIfChanged());
        Assert.Contains("cannot read", db.LastReloadError!.Message, StringComparison.Ordinal);
        Assert.True(db.TryGet("alice", out _));
        Assert.Equal(UsersFileReload.Unchanged, db.ReloadIfChanged());

        Write("bob:{PLAIN}two\n");
        Assert.Equal(UsersFileReload.Reloaded, db.ReloadIfChanged());
        Assert.False(db.TryGet("alice", out _));
        Assert.True(db.TryGet("bob", out _));
    }

    [Fact]
    public void Successful_verifications_are_cached_until_reload()
    {
        Write($"alice:{PasswordHasher.HashPbkdf2("pencil", 5000)}\n");
        var db = UserDatabase.Load(_path);
        Assert.True(db.TryGet("alice", out var alice));

        Assert.True(db.VerifyPassword(alice, "pencil"));
        Assert.True(db.VerifyPassword(alice, "pencil"));
        Assert.Equal(1, db.HashComputations);

        // Failures are never cached: each guess pays the full hash.
        Assert.False(db.VerifyPassword(alice, "pencils"));
        Assert.False(db.VerifyPassword(alice, "pencils"));
        Assert.Equal(3, db.HashComputations);

        Write($"alice:{PasswordHasher.HashPbkdf2("crayon", 5000)}\n");
        Assert.Equal(UsersFileReload.Reloaded, db.ReloadIfChanged());

        // The old entry object still verifies by its own hash; the cache was cleared, so it is computed again.
        Assert.True(db.VerifyPassword(alice, "pencil"));
        Assert.Equal(4, db.HashComputations);
        Assert.True(db.TryGet("alice", out var changed));
        Assert.False(db.VerifyPassword(changed, "pencil"));
        Assert.True(db.VerifyPassword(changed, "crayon"));
        Assert.True(db.VerifyPassword(changed, "crayon"));
        Assert.Equal(6, db.HashComputations);
    }

    [Fact]
    public void A_cached_success_does_not_carry_over_to_a_different_stored_hash()
    {
        Write($"alice:{{PLAIN}}pencil\n");
        var db = UserDatabase.Load(_path);
        Assert.True(db.TryGet("alice", out var alice));
        Assert.True(db.VerifyPassword(alice, "pencil"));
        var other = alice with { Scheme = "PLAIN", Hash = "crayon" };
        Assert.False(db.VerifyPassword(other, "pencil"));
    }

    [Fact]
    public void The_cache_can_be_turned_off()
    {
        Write("alice:{PLAIN}pencil\n");
        var db = UserDatabase.Load(_path, new UserDatabaseOptions { VerificationCacheSize = 0 });
        Assert.True(db.TryGet("alice", out var alice));
        Assert.True(db.VerifyPassword(alice, "pencil"));
        Assert.True(db.VerifyPassword(alice, "pencil"));
        Assert.Equal(2, db.HashComputations);
    }

    [Fact]
    public void The_cache_stays_within_its_bound_and_keys_on_user_and_password()
    {
        var cache = new VerificationCache(3);
        for (var i = 0; i < 10; i++)
        {
            cache.Add($"user{i}", "pw"u8, "PLAIN}pw");
            Assert.InRange(cache.Count, 1, 3);
        }

        cache.Add("a", "b\0c"u8, "x");
        Assert.True(cache.Contains("a", "b\0c"u8, "x"));
        Assert.False(cache.Contains("a\0b", "c"u8, "x"));
        cache.Add("a\0b", "c"u8, "x");
        Assert.False(cache.Contains("a\0b", "c"u8, "x"));
        Assert.False(cache.Contains("a", "b\0c"u8, "y"));
        Assert.False(cache.Contains("A", "b\0c"u8, "x"));
    }
}
