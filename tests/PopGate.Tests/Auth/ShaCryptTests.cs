using System.Globalization;
using System.Text;
using PopGate.Auth;
using PopGate.Testing;

namespace PopGate.Tests.Auth;

public class ShaCryptTests
{
    // Test vectors from Ulrich Drepper, "Unix crypt using SHA-256 and SHA-512",
    // https://www.akkadia.org/drepper/SHA-crypt.txt (section "Test vectors").
    public static TheoryData<string, string, string> DrepperVectors => new()
    {
        { "$5$saltstring", "Hello world!", "$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5" },
        { "$5$rounds=10000$saltstringsaltstring", "Hello world!", "$5$rounds=10000$saltstringsaltst$3xv.VbSHBb41AL9AvLeujZkZRBAwqFMz2.opqey6IcA" },
        { "$5$rounds=5000$toolongsaltstring", "This is just a test", "$5$rounds=5000$toolongsaltstrin$Un/5jzAHMgOGZ5.mWJpuVolil07guHPvOW8mGRcvxa5" },
        { "$5$rounds=1400$anotherlongsaltstring", "a very much longer text to encrypt.  This one even stretches over morethan one line.", "$5$rounds=1400$anotherlongsalts$Rx.j8H.h8HjEDGomFU8bDkXm3XIUnzyxf12oP84Bnq1" },
        { "$5$rounds=77777$short", "we have a short salt string but not a short password", "$5$rounds=77777$short$JiO1O3ZpDAxGJeaDIuqCoEFysAe1mZNJRs3pw0KQRd/" },
        { "$5$rounds=123456$asaltof16chars..", "a short string", "$5$rounds=123456$asaltof16chars..$gP3VQ/6X7UUEW3HkBn2w1/Ptq2jxPyzV/cZKmF/wJvD" },
        { "$5$rounds=10$roundstoolow", "the minimum number is still observed", "$5$rounds=1000$roundstoolow$yfvwcWrQ8l/K0DAWyuPMDNHpIVlTQebY9l/gL972bIC" },
        { "$6$saltstring", "Hello world!", "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1" },
        { "$6$rounds=10000$saltstringsaltstring", "Hello world!", "$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v." },
        { "$6$rounds=5000$toolongsaltstring", "This is just a test", "$6$rounds=5000$toolongsaltstrin$lQ8jolhgVRVhY4b5pZKaysCLi0QBxGoNeKQzQ3glMhwllF7oGDZxUhx1yxdYcz/e1JSbq3y6JMxxl8audkUEm0" },
        { "$6$rounds=1400$anotherlongsaltstring", "a very much longer text to encrypt.  This one even stretches over morethan one line.", "$6$rounds=1400$anotherlongsalts$POfYwTEok97VWcjxIiSOjiykti.o/pQs.wPvMxQ6Fm7I6IoYN3CmLs66x9t0oSwbtEW7o7UmJEiDwGqd8p4ur1" },
        { "$6$rounds=77777$short", "we have a short salt string but not a short password", "$6$rounds=77777$short$WuQyW2YR.hBNpjjRhpYD/ifIw05xdfeEyQoMxIXbkvr0gge1a1x3yRULJ5CCaUeOxFmtlcGZelFl5CxtgfiAc0" },
        { "$6$rounds=123456$asaltof16chars..", "a short string", "$6$rounds=123456$asaltof16chars..$BtCwjqMJGx5hrJhZywWvt0RLE8uZ4oPwcelCjmw2kSYu.Ec6ycULevoBK25fs2xXgMNrCzIMVcgEJAstJeonj1" },
        { "$6$rounds=10$roundstoolow", "the minimum number is still observed", "$6$rounds=1000$roundstoolow$kUMsbe306n21p9R.FRkW3IGn.S9NPN0x50YhH1xhLsPuWGsUSklZt58jaTfF4ZEQpyUNGc0dqbpBYYBaHHrsX." },
    };

    [Theory]
    [MemberData(nameof(DrepperVectors))]
    public void Drepper_vectors_are_reproduced(string setting, string password, string expected)
    {
        Assert.True(ShaCrypt.TryParse(setting, out var parsed, out var error), error);
        Assert.Equal(expected, ShaCrypt.Compute(Encoding.UTF8.GetBytes(password), parsed));
    }

    [Theory]
    [MemberData(nameof(DrepperVectors))]
    public void Drepper_results_verify_with_and_without_a_scheme_prefix(string setting, string password, string expected)
    {
        _ = setting;
        var scheme = expected.StartsWith("$5$", StringComparison.Ordinal) ? "{SHA256-CRYPT}" : "{SHA512-CRYPT}";
        // {CRYPT} on some vectors, the variant's own prefix on the others: each verification of these costs.
        var prefix = expected.Contains("rounds=1", StringComparison.Ordinal) ? "{CRYPT}" : scheme;
        Assert.True(PasswordHasher.Verify(expected, password));
        Assert.True(PasswordHasher.Verify(prefix + expected, password));
        Assert.False(PasswordHasher.Verify(scheme + expected, password + "!"));
    }

    [Fact]
    public void A_scheme_prefix_must_match_the_crypt_variant()
    {
        const string sha512 = "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1";
        Assert.NotNull(PasswordHasher.Check("{SHA256-CRYPT}" + sha512));
        Assert.False(PasswordHasher.Verify("{SHA256-CRYPT}" + sha512, "Hello world!"));
        Assert.NotNull(PasswordHasher.Check(sha512[..^1]));
        Assert.NotNull(PasswordHasher.Check("$6$rounds=x$salt$" + new string('a', 86)));
        Assert.NotNull(PasswordHasher.Check("{CRYPT}$1$abcdefgh$abcdefghijklmnopqrstuv"));
    }

    [Fact]
    public async Task Openssl_passwd_hashes_verify_and_match_our_output()
    {
        var openssl = PeerProgram.Require("openssl");
        var cases = new[] { (5, 0), (6, 0), (5, 1000 + Random.Shared.Next(3000)), (6, 1000 + Random.Shared.Next(3000)), (6, 1000) };
        foreach (var (variant, rounds) in cases)
        {
            var password = Pbkdf2SchemeTests.RandomPassword();
            var salt = RandomSalt();
            var saltArgument = rounds == 0 ? salt : string.Create(CultureInfo.InvariantCulture, $"rounds={rounds}${salt}");
            var result = await ProcessRunner.RunAsync(openssl, ["passwd", $"-{variant}", "-salt", saltArgument, password], TimeSpan.FromSeconds(30));
            Assert.True(result.ExitCode == 0, result.ToString());
            var theirs = result.StdOut.Trim();

            Assert.True(PasswordHasher.Verify(theirs, password), $"{theirs} for '{password}'");
            Assert.False(PasswordHasher.Verify(theirs, password + "x"));
            Assert.True(ShaCrypt.TryParse(theirs, out var setting, out _));
            Assert.Equal(theirs, ShaCrypt.Compute(Encoding.UTF8.GetBytes(password), setting));
        }
    }

    [Theory]
    [InlineData("SHA512-CRYPT", "")]
    [InlineData("SHA256-CRYPT", "")]
    [InlineData("SHA512-CRYPT", "1500")]
    [InlineData("SHA256-CRYPT", "2500")]
    public async Task Dovecot_doveadm_hashes_verify(string scheme, string rounds)
    {
        var doveadm = PeerProgram.Require("doveadm");
        var password = Pbkdf2SchemeTests.RandomPassword() + "ü";
        List<string> arguments = ["pw", "-s", scheme, "-p", password];
        if (rounds.Length > 0)
        {
            arguments.AddRange(["-r", rounds]);
        }

        var result = await ProcessRunner.RunAsync(doveadm, arguments, TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0, result.ToString());
        var field = result.StdOut.Trim();
        Assert.StartsWith("{" + scheme + "}", field, StringComparison.Ordinal);
        Assert.True(PasswordHasher.Verify(field, password), field);
        Assert.False(PasswordHasher.Verify(field, password[..^1]));
    }

    private static string RandomSalt()
    {
        const string alphabet = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        var chars = new char[1 + Random.Shared.Next(16)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = alphabet[Random.Shared.Next(alphabet.Length)];
        }

        return new string(chars);
    }
}
