using System.Globalization;
using System.Text;
using PopGate.Auth;
using PopGate.Testing;

namespace PopGate.Tests.Auth;

public class Pbkdf2SchemeTests
{
    // RFC 7914 §11, "Test Vectors for PBKDF2 with HMAC-SHA-256" (dkLen = 64).
    [Theory]
    [InlineData("passwd", "salt", 1, "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783")]
    [InlineData("Password", "NaCl", 80000, "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d")]
    public void Rfc7914_vectors_verify_as_stored_entries(string password, string salt, int iterations, string keyHex)
    {
        var key = Convert.FromHexString(keyHex);
        var saltB64 = Convert.ToBase64String(Encoding.ASCII.GetBytes(salt));
        var field = $"{{PBKDF2-SHA256}}${iterations}${saltB64}${Convert.ToBase64String(key)}";

        Assert.Null(PasswordHasher.Check(field));
        Assert.True(PasswordHasher.Verify(field, password));
        Assert.False(PasswordHasher.Verify(field, password + "x"));

        // The first 32 bytes are what a new entry stores; PBKDF2 output prefixes are themselves valid keys.
        var shortField = $"{{PBKDF2-SHA256}}${iterations}${saltB64}${Convert.ToBase64String(key[..32])}";
        Assert.True(PasswordHasher.Verify(shortField, password));
    }

    [Fact]
    public void New_hashes_have_the_documented_shape_and_fresh_salts()
    {
        var a = PasswordHasher.HashPbkdf2("correct horse");
        var b = PasswordHasher.HashPbkdf2("correct horse");
        Assert.NotEqual(a, b);
        foreach (var field in new[] { a, b })
        {
            Assert.StartsWith("{PBKDF2-SHA256}$100000$", field, StringComparison.Ordinal);
            var parts = field.Split('$');
            Assert.Equal(4, parts.Length);
            Assert.Equal(16, Convert.FromBase64String(parts[2]).Length);
            Assert.Equal(32, Convert.FromBase64String(parts[3]).Length);
            Assert.True(PasswordHasher.Verify(field, "correct horse"));
            Assert.False(PasswordHasher.Verify(field, "correct horse "));
        }
    }

    [Theory]
    [InlineData("$100000$c2FsdA==")]
    [InlineData("$0$c2FsdA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("$abc$c2FsdA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("$1000$c2Fs!A==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("$1000$c2FsdA==$AAAA")]
    [InlineData("1000$c2FsdA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    public void Malformed_values_are_named(string hash)
    {
        Assert.NotNull(PasswordHasher.Check("{PBKDF2-SHA256}" + hash));
        Assert.False(PasswordHasher.Verify("{PBKDF2-SHA256}" + hash, "x"));
    }

    [Fact]
    public async Task Python_hashlib_derives_the_same_key()
    {
        var python = PeerProgram.Require("python3");
        foreach (var password in new[] { "pencil", "pässwörd ✓", RandomPassword() })
        {
            var field = PasswordHasher.HashPbkdf2(password, 2000);
            var parts = field.Split('$');
            var script = "import sys,hashlib,base64\n"
                + "pw=base64.b64decode(sys.argv[3])\n"
                + "print(base64.b64encode(hashlib.pbkdf2_hmac('sha256', pw, base64.b64decode(sys.argv[1]), int(sys.argv[2]), 32)).decode())";
            var result = await ProcessRunner.RunAsync(python, ["-c", script, parts[2], parts[1], Convert.ToBase64String(Encoding.UTF8.GetBytes(password))], TimeSpan.FromSeconds(30));
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(parts[3], result.StdOut.Trim());
            Assert.Equal(2000, int.Parse(parts[1], CultureInfo.InvariantCulture));
        }
    }

    internal static string RandomPassword()
    {
        const string chars = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!#%+-=?@^_";
        return string.Create(12 + Random.Shared.Next(20), chars, (span, c) =>
        {
            // A letter first, so that no command line takes the password for an option.
            span[0] = c[Random.Shared.Next(26)];
            for (var i = 1; i < span.Length; i++)
            {
                span[i] = c[Random.Shared.Next(c.Length)];
            }
        });
    }
}
