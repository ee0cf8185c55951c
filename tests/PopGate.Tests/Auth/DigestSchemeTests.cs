using System.Security.Cryptography;
using System.Text;
using PopGate.Auth;
using PopGate.Testing;

namespace PopGate.Tests.Auth;

public class DigestSchemeTests
{
    // FIPS 180-2, Appendix B.1 (SHA-256 of "abc") and Appendix C.1 (SHA-512 of "abc").
    private const string Sha256OfAbc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private const string Sha512OfAbc = "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";

    [Fact]
    public void Sha256_in_base64_and_hex_verifies_the_fips_message()
    {
        var digest = Convert.FromHexString(Sha256OfAbc);
        foreach (var field in new[] { "{SHA256}" + Convert.ToBase64String(digest), "{SHA256.HEX}" + Sha256OfAbc, "{SHA256}" + Sha256OfAbc, "{sha256.b64}" + Convert.ToBase64String(digest) })
        {
            Assert.Null(PasswordHasher.Check(field));
            Assert.True(PasswordHasher.Verify(field, "abc"), field);
            Assert.False(PasswordHasher.Verify(field, "abd"), field);
        }
    }

    [Fact]
    public void Salted_digests_are_digest_of_password_then_salt()
    {
        // SSHA stores H(password + salt) + salt: with password "ab" and salt "c" the digest is the FIPS one of "abc".
        var ssha256 = "{SSHA256}" + Convert.ToBase64String([.. Convert.FromHexString(Sha256OfAbc), .. "c"u8]);
        var ssha512 = "{SSHA512}" + Convert.ToBase64String([.. Convert.FromHexString(Sha512OfAbc), .. "c"u8]);
        var ssha512Hex = "{SSHA512.HEX}" + Sha512OfAbc + "63";
        foreach (var field in new[] { ssha256, ssha512, ssha512Hex })
        {
            Assert.Null(PasswordHasher.Check(field));
            Assert.True(PasswordHasher.Verify(field, "ab"), field);
            Assert.False(PasswordHasher.Verify(field, "abc"), field);
        }
    }

    [Theory]
    [InlineData("{SHA256}AAAA")]
    [InlineData("{SHA256}not base64!")]
    [InlineData("{SSHA256}ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=")]
    [InlineData("{SSHA512.HEX}zz")]
    [InlineData("{PLAIN.B64}***")]
    [InlineData("{SHA256.ROT13}abc")]
    [InlineData("{MD5-CRYPT}$1$abc$def")]
    [InlineData("{SCRAM-SHA-256}4096,c2FsdA==,AAAA,AAAA")]
    [InlineData("{SCRAM-SHA-256}4096,c2FsdA==")]
    [InlineData("{}abc")]
    [InlineData("{PLAINabc")]
    [InlineData("nothing-like-a-hash")]
    public void Malformed_or_unknown_values_are_refused(string field)
    {
        Assert.NotNull(PasswordHasher.Check(field));
        Assert.False(PasswordHasher.Verify(field, "abc"));
    }

    [Fact]
    public void Cleartext_schemes_compare_the_whole_password()
    {
        foreach (var field in new[] { "{PLAIN}pencil", "{CLEAR}pencil", "{CLEARTEXT}pencil", "{PLAIN.B64}cGVuY2ls", "{plain.hex}70656e63696c" })
        {
            Assert.True(PasswordHasher.Verify(field, "pencil"), field);
            Assert.False(PasswordHasher.Verify(field, "pencil2"), field);
            Assert.False(PasswordHasher.Verify(field, "pencI"), field);
            Assert.False(PasswordHasher.Verify(field, string.Empty), field);
        }
    }

    [Theory]
    [InlineData("SHA256")]
    [InlineData("SSHA256")]
    [InlineData("SSHA512")]
    [InlineData("SCRAM-SHA-256")]
    [InlineData("PLAIN")]
    [InlineData("SHA256.HEX")]
    [InlineData("SSHA512.HEX")]
    public async Task Dovecot_doveadm_values_verify(string scheme)
    {
        var doveadm = PeerProgram.Require("doveadm");
        var password = Pbkdf2SchemeTests.RandomPassword() + "é";
        var result = await ProcessRunner.RunAsync(doveadm, ["pw", "-s", scheme, "-p", password], TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0, result.ToString());
        var field = result.StdOut.Trim();
        Assert.StartsWith("{" + scheme + "}", field, StringComparison.Ordinal);
        Assert.Null(PasswordHasher.Check(field));
        Assert.True(PasswordHasher.Verify(field, password), field);
        Assert.False(PasswordHasher.Verify(field, password + "x"), field);
    }

    [Fact]
    public async Task Dovecot_scram_entries_hold_the_keys_our_derivation_gives()
    {
        var doveadm = PeerProgram.Require("doveadm");
        var password = Pbkdf2SchemeTests.RandomPassword();
        var result = await ProcessRunner.RunAsync(doveadm, ["pw", "-s", "SCRAM-SHA-256", "-p", password], TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0, result.ToString());
        var parts = result.StdOut.Trim()["{SCRAM-SHA-256}".Length..].Split(',');

        var ours = ScramCredentials.FromPassword(password, Convert.FromBase64String(parts[1]), int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(parts[2], Convert.ToBase64String(ours.StoredKey));
        Assert.Equal(parts[3], Convert.ToBase64String(ours.ServerKey));
    }

    [Fact]
    public async Task Doveadm_accepts_what_we_verify()
    {
        // The other direction: a value we consider valid for a password is one Dovecot's own checker accepts.
        var doveadm = PeerProgram.Require("doveadm");
        var password = Pbkdf2SchemeTests.RandomPassword();
        var salt = RandomNumberGenerator.GetBytes(8);
        var field = "{SSHA512}" + Convert.ToBase64String([.. SHA512.HashData([.. Encoding.UTF8.GetBytes(password), .. salt]), .. salt]);
        Assert.True(PasswordHasher.Verify(field, password));

        var result = await ProcessRunner.RunAsync(doveadm, ["pw", "-t", field, "-p", password], TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("(verified)", result.StdOut, StringComparison.Ordinal);
        var wrong = await ProcessRunner.RunAsync(doveadm, ["pw", "-t", field, "-p", password + "x"], TimeSpan.FromSeconds(30));
        Assert.NotEqual(0, wrong.ExitCode);
    }
}
