using System.Text;
using PopGate.Auth;
using PopGate.Testing;

namespace PopGate.Tests.Auth;

public sealed class UserDatabaseTests : IDisposable
{
    private const string Sha512Crypt = "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1";
    private readonly TempDir _dir = new("popgate-users");

    public void Dispose() => _dir.Dispose();

    private string Write(string content, string name = "users")
    {
        var path = Path.Combine(_dir.Path, name);
        File.WriteAllBytes(path, Encoding.UTF8.GetBytes(content));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    private PasswdFileException LoadFails(string content)
    {
        var path = Write(content);
        var e = Assert.Throws<PasswdFileException>(() => UserDatabase.Load(path));
        Assert.Equal(path, e.Path);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        return e;
    }

    [Fact]
    public void Dovecot_lines_with_all_fields_are_read()
    {
        var path = Write(
            "# users of the test\n"
            + "\n"
            + "alice:{SHA512-CRYPT}" + Sha512Crypt + ":1000:1000:Alice A:/home/alice:/bin/false:mail=maildir:/srv/mail/alice/Maildir apop=yes userdb_quota_rule=*:storage=1G\r\n"
            + "   # an indented comment\n"
            + "bob:" + Sha512Crypt + "\n"
            + "jürgen@exämple.org:{PLAIN}geheim::::/home/j\n"
            + "carol:{PLAIN}x:::::\n");
        var db = UserDatabase.Load(path);

        Assert.Equal(4, db.Count);
        Assert.True(db.TryGet("alice", out var alice));
        Assert.Equal("SHA512-CRYPT", alice.Scheme);
        Assert.Equal(Sha512Crypt, alice.Hash);
        Assert.Equal("/home/alice", alice.Home);
        Assert.Equal(3, alice.LineNumber);
        Assert.Equal("maildir:/srv/mail/alice/Maildir", alice.Extra["mail"]);
        Assert.Equal("yes", alice.Extra["apop"]);
        Assert.Equal("*:storage=1G", alice.Extra["userdb_quota_rule"]);
        Assert.True(db.VerifyPassword(alice, "Hello world!"));
        Assert.False(db.VerifyPassword(alice, "hello world!"));

        Assert.True(db.TryGet("bob", out var bob));
        Assert.Equal("SHA512-CRYPT", bob.Scheme);
        Assert.Null(bob.Home);
        Assert.Empty(bob.Extra);
        Assert.True(db.VerifyPassword(bob, "Hello world!"));

        Assert.True(db.TryGet("jürgen@exämple.org", out var jurgen));
        Assert.Equal("/home/j", jurgen.Home);
        Assert.Equal("geheim", db.GetClearPassword(jurgen));
        Assert.Null(db.GetClearPassword(alice));
        Assert.False(db.TryGet("Alice", out _));
        Assert.False(db.TryGet("dave", out _));
    }

    [Fact]
    public void Warnings_name_the_line_and_the_remedy()
    {
        var path = Write("alice:{PBKDF2-SHA256}$1000$c2FsdA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\nbob:{PLAIN}secret\nnopw:\ncarl:{SHA256}ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var db = UserDatabase.Load(path);

        Assert.Contains("users file line 2: user 'bob' has a {PLAIN} password; use `popgate passwd bob`", db.Warnings);
        Assert.Contains("users file line 3: user 'nopw' has no password and cannot log in", db.Warnings);
        Assert.Contains(db.Warnings, w => w.StartsWith("users file line 4: user 'carl' has an unsalted {SHA256}", StringComparison.Ordinal));
        Assert.Contains(db.Warnings, w => w.Contains("chmod 600", StringComparison.Ordinal));
        Assert.True(db.TryGet("nopw", out var nopw));
        Assert.False(db.VerifyPassword(nopw, string.Empty));
        Assert.Null(db.GetScramSha256(nopw));
    }

    [Theory]
    [InlineData("alice:{PLAIN}a\n:{PLAIN}b\n", 2, "empty user name")]
    [InlineData("alice:{PLAIN}a\nbob:{PLAIN}b\nalice:{PLAIN}c\n", 3, "duplicate user 'alice' (first on line 1)")]
    [InlineData("# c\nalice:{ARGON2ID}$argon2id$v=19$m=65536\n", 2, "unknown password scheme {ARGON2ID}")]
    [InlineData("alice:{SHA512-CRYPT}$6$abc$short\n", 1, "malformed {SHA512-CRYPT} password")]
    [InlineData("alice:{PBKDF2-SHA256}$x$y$z\n", 1, "malformed {PBKDF2-SHA256} password")]
    [InlineData("alice:secret\n", 1, "no {SCHEME} prefix")]
    [InlineData("alice\n", 1, "no ':' after user name 'alice'")]
    [InlineData("al ice:{PLAIN}a\n", 1, "white space or control characters")]
    [InlineData("alice:{PLAIN}a\n\nbob:{SHA256}AAAA\n", 3, "malformed {SHA256} password")]
    public void Faults_are_reported_with_their_line(string content, int line, string reason)
    {
        var e = LoadFails(content);
        Assert.Equal(line, e.LineNumber);
        Assert.Contains(reason, e.Reason, StringComparison.Ordinal);
        Assert.Contains($"line {line}: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_utf8_is_reported_with_its_line()
    {
        var path = Path.Combine(_dir.Path, "latin1");
        File.WriteAllBytes(path, [.. "alice:{PLAIN}a\nj"u8, 0xFC, .. "rgen:{PLAIN}b\n"u8]);
        var e = Assert.Throws<PasswdFileException>(() => UserDatabase.Load(path));
        Assert.Equal(2, e.LineNumber);
        Assert.Contains("UTF-8", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_or_oversized_file_is_an_error()
    {
        var missing = Path.Combine(_dir.Path, "absent");
        var e = Assert.Throws<PasswdFileException>(() => UserDatabase.Load(missing));
        Assert.Contains("cannot read", e.Message, StringComparison.Ordinal);

        var path = Write("alice:{PLAIN}a\nbob:{PLAIN}b\n");
        e = Assert.Throws<PasswdFileException>(() => UserDatabase.Load(path, new UserDatabaseOptions { MaxFileBytes = 10 }));
        Assert.Contains("larger than 10 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Entries_print_without_their_hash()
    {
        var db = UserDatabase.Load(Write("alice:{PLAIN}topsecret\n"));
        Assert.True(db.TryGet("alice", out var alice));
        Assert.DoesNotContain("topsecret", alice.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Scram_credentials_come_from_pbkdf2_scram_and_plain_entries_alike()
    {
        var pbkdf2 = PasswordHasher.HashPbkdf2("pencil", 4096);
        var pbkdf2Parts = pbkdf2.Split('$');
        var salt = Convert.FromBase64String(pbkdf2Parts[2]);
        var expected = ScramCredentials.FromPassword("pencil", salt, 4096);
        var scramField = $"{{SCRAM-SHA-256}}4096,{pbkdf2Parts[2]},{Convert.ToBase64String(expected.StoredKey)},{Convert.ToBase64String(expected.ServerKey)}";
        var db = UserDatabase.Load(
            Write($"p:{pbkdf2}\ns:{scramField}\nc:{{CLEAR}}pencil\nx:{{SHA512-CRYPT}}{Sha512Crypt}\n"),
            new UserDatabaseOptions { ScramIterations = 4096 });

        Assert.True(db.TryGet("p", out var p));
        var fromPbkdf2 = db.GetScramSha256(p)!;
        Assert.Equal(expected.StoredKey, fromPbkdf2.StoredKey);
        Assert.Equal(expected.ServerKey, fromPbkdf2.ServerKey);
        Assert.Equal(salt, fromPbkdf2.Salt);
        Assert.Equal(4096, fromPbkdf2.Iterations);

        Assert.True(db.TryGet("s", out var s));
        Assert.Equal(expected.StoredKey, db.GetScramSha256(s)!.StoredKey);
        Assert.True(db.VerifyPassword(s, "pencil"));
        Assert.False(db.VerifyPassword(s, "pencils"));

        Assert.True(db.TryGet("c", out var c));
        var fromPlain = db.GetScramSha256(c)!;
        Assert.Equal(16, fromPlain.Salt.Length);
        Assert.Equal(ScramCredentials.FromPassword("pencil", fromPlain.Salt, 4096).StoredKey, fromPlain.StoredKey);
        Assert.Same(fromPlain, db.GetScramSha256(c));

        Assert.True(db.TryGet("x", out var x));
        Assert.Null(db.GetScramSha256(x));
    }
}
