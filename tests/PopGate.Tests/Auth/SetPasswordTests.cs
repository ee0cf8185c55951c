using System.Text;
using PopGate.Auth;
using PopGate.Testing;

namespace PopGate.Tests.Auth;

public sealed class SetPasswordTests : IDisposable
{
    private readonly TempDir _dir = new("popgate-passwd");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_new_file_is_created_private_with_a_pbkdf2_entry()
    {
        var path = Path.Combine(_dir.Path, "users");
        await UserDatabase.SetPasswordAsync(path, "jürgen", "pässword", CancellationToken.None);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        var text = await File.ReadAllTextAsync(path);
        Assert.StartsWith("jürgen:{PBKDF2-SHA256}$100000$", text, StringComparison.Ordinal);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        var db = UserDatabase.Load(path);
        Assert.Empty(db.Warnings);
        Assert.True(db.TryGet("jürgen", out var entry));
        Assert.True(db.VerifyPassword(entry, "pässword"));
        Assert.False(db.VerifyPassword(entry, "password"));
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.tmp"));
    }

    [Fact]
    public async Task Replacing_keeps_every_other_byte_and_the_trailing_fields()
    {
        var path = Path.Combine(_dir.Path, "users");
        var before = "# our users\r\n"
            + "alice:{PLAIN}old:1000:1000:Alice:/home/alice::mail=maildir:/srv/alice apop=no\r\n"
            + "\n"
            + "bob:{SHA512-CRYPT}$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1\n"
            + "#alice:{PLAIN}commented\n"
            + "alicia:{PLAIN}other";
        await File.WriteAllTextAsync(path, before, new UTF8Encoding(false));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        await UserDatabase.SetPasswordAsync(path, "alice", "new secret", CancellationToken.None);
        await UserDatabase.SetPasswordAsync(path, "carol", "third", CancellationToken.None);

        var after = await File.ReadAllTextAsync(path);
        var lines = after.Split('\n');
        Assert.Equal("# our users\r", lines[0]);
        Assert.Matches(@"^alice:\{PBKDF2-SHA256\}\$100000\$[^:$]+\$[^:$]+:1000:1000:Alice:/home/alice::mail=maildir:/srv/alice apop=no\r$", lines[1]);
        Assert.Equal(string.Join('\n', before.Split('\n')[2..]), string.Join('\n', lines[2..6]));
        Assert.StartsWith("carol:{PBKDF2-SHA256}$100000$", lines[6], StringComparison.Ordinal);
        Assert.Equal(string.Empty, lines[7]);
        Assert.Equal(8, lines.Length);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(path));

        var db = UserDatabase.Load(path);
        Assert.True(db.TryGet("alice", out var alice));
        Assert.True(db.VerifyPassword(alice, "new secret"));
        Assert.Equal("maildir:/srv/alice", alice.Extra["mail"]);
        Assert.Equal("/home/alice", alice.Home);
        Assert.True(db.TryGet("alicia", out var alicia));
        Assert.Equal("other", db.GetClearPassword(alicia));
        Assert.True(db.TryGet("carol", out var carol));
        Assert.True(db.VerifyPassword(carol, "third"));
    }

    [Fact]
    public async Task A_running_database_picks_up_the_change()
    {
        var path = Path.Combine(_dir.Path, "users");
        await File.WriteAllTextAsync(path, "alice:{PLAIN}old\n");
        var db = UserDatabase.Load(path);
        await UserDatabase.SetPasswordAsync(path, "alice", "new", CancellationToken.None);
        Assert.Equal(UsersFileReload.Reloaded, db.ReloadIfChanged());
        Assert.True(db.TryGet("alice", out var alice));
        Assert.True(db.VerifyPassword(alice, "new"));
        Assert.DoesNotContain(db.Warnings, w => w.Contains("PLAIN", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Concurrent_updates_are_all_kept()
    {
        var path = Path.Combine(_dir.Path, "users");
        await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            Task.Run(() => UserDatabase.SetPasswordAsync(path, $"user{i}", $"pw{i}", CancellationToken.None))));
        var db = UserDatabase.Load(path);
        Assert.Equal(6, db.Count);
        for (var i = 0; i < 6; i++)
        {
            Assert.True(db.TryGet($"user{i}", out var entry));
            Assert.True(db.VerifyPassword(entry, $"pw{i}"));
        }
    }

    [Fact]
    public async Task A_symbolic_link_is_followed_not_replaced()
    {
        var real = Path.Combine(_dir.Sub("etc"), "users");
        await File.WriteAllTextAsync(real, "alice:{PLAIN}old\n");
        var link = Path.Combine(_dir.Path, "users-link");
        File.CreateSymbolicLink(link, real);

        await UserDatabase.SetPasswordAsync(link, "alice", "new", CancellationToken.None);
        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.StartsWith("alice:{PBKDF2-SHA256}", await File.ReadAllTextAsync(real), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a:b")]
    [InlineData("a b")]
    [InlineData("a\nb")]
    [InlineData("#alice")]
    public async Task Unusable_user_names_are_refused(string user)
    {
        var path = Path.Combine(_dir.Path, "users");
        await Assert.ThrowsAnyAsync<ArgumentException>(() => UserDatabase.SetPasswordAsync(path, user, "pw", CancellationToken.None));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task A_file_with_the_user_twice_is_not_touched()
    {
        var path = Path.Combine(_dir.Path, "users");
        const string content = "alice:{PLAIN}a\nalice:{PLAIN}b\n";
        await File.WriteAllTextAsync(path, content);
        var e = await Assert.ThrowsAsync<PasswdFileException>(() => UserDatabase.SetPasswordAsync(path, "alice", "pw", CancellationToken.None));
        Assert.Equal(2, e.LineNumber);
        Assert.Equal(content, await File.ReadAllTextAsync(path));
    }
}
