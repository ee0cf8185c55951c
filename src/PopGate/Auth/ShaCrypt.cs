using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PopGate.Auth;

/// <summary>
/// crypt(3) with SHA-256 ("$5$") and SHA-512 ("$6$"), as specified by Ulrich Drepper's "Unix crypt using SHA-256 and
/// SHA-512": the format of /etc/shadow and of Dovecot's {SHA256-CRYPT} and {SHA512-CRYPT}.
/// </summary>
internal static class ShaCrypt
{
    public const int DefaultRounds = 5000;
    public const int MinRounds = 1000;
    public const int MaxRounds = 999_999_999;
    public const int MaxSaltLength = 16;

    private const string Alphabet = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const string RoundsPrefix = "rounds=";

    /// <summary>Parses "$5$[rounds=N$]salt[$hash]"; the salt is cut to 16 characters as crypt(3) does.</summary>
    public static bool TryParse(string value, out ShaCryptSetting setting, out string? error)
    {
        setting = default;
        int variant;
        if (value.StartsWith("$5$", StringComparison.Ordinal))
        {
            variant = 5;
        }
        else if (value.StartsWith("$6$", StringComparison.Ordinal))
        {
            variant = 6;
        }
        else
        {
            error = "a SHA-crypt hash starts with $5$ or $6$";
            return false;
        }

        var rest = value.AsSpan(3);
        var rounds = DefaultRounds;
        var roundsGiven = false;
        if (rest.StartsWith(RoundsPrefix, StringComparison.Ordinal))
        {
            var end = rest.IndexOf('$');
            var digits = end < 0 ? [] : rest[RoundsPrefix.Length..end];
            if (digits.IsEmpty || digits.Length > 12 || !ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                error = "a SHA-crypt 'rounds=' is not followed by a number and '$'";
                return false;
            }

            rounds = (int)Math.Clamp(n, MinRounds, MaxRounds);
            roundsGiven = true;
            rest = rest[(end + 1)..];
        }

        var saltEnd = rest.IndexOf('$');
        var salt = saltEnd < 0 ? rest : rest[..saltEnd];
        string? hash = saltEnd < 0 ? null : rest[(saltEnd + 1)..].ToString();
        if (salt.Length > MaxSaltLength)
        {
            salt = salt[..MaxSaltLength];
        }

        if (salt.ContainsAny(":\n\r") || salt.ContainsAnyExceptInRange((char)0x21, (char)0x7E))
        {
            error = "a SHA-crypt salt must be printable ASCII";
            return false;
        }

        setting = new ShaCryptSetting(variant, rounds, roundsGiven, salt.ToString(), hash);
        error = null;
        return true;
    }

    /// <summary>Like <see cref="TryParse"/>, and also requires a hash part of the right length and alphabet.</summary>
    public static bool TryParseStored(string value, out ShaCryptSetting setting, out string? error)
    {
        if (!TryParse(value, out setting, out error))
        {
            return false;
        }

        var expected = setting.Variant == 5 ? 43 : 86;
        if (setting.Hash is null || setting.Hash.Length != expected || setting.Hash.AsSpan().ContainsAnyExcept(Alphabet))
        {
            error = $"a ${setting.Variant}$ crypt hash must end in ${expected} characters of [./0-9A-Za-z]";
            return false;
        }

        return true;
    }

    /// <summary>The full crypt string for <paramref name="password"/> with the setting's salt and rounds.</summary>
    public static string Compute(ReadOnlySpan<byte> password, ShaCryptSetting setting)
    {
        var sha512 = setting.Variant == 6;
        var digest = Digest(password, Encoding.ASCII.GetBytes(setting.Salt), setting.Rounds, sha512);
        var text = new StringBuilder(128).Append('$').Append(setting.Variant).Append('$');
        if (setting.RoundsGiven)
        {
            text.Append(RoundsPrefix).Append(setting.Rounds.ToString(CultureInfo.InvariantCulture)).Append('$');
        }

        text.Append(setting.Salt).Append('$');
        Encode(digest, sha512, text);
        return text.ToString();
    }

    private static byte[] Digest(ReadOnlySpan<byte> p, ReadOnlySpan<byte> s, int rounds, bool sha512)
    {
        using var h = IncrementalHash.CreateHash(sha512 ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256);
        var size = h.HashLengthInBytes;

        h.AppendData(p);
        h.AppendData(s);
        h.AppendData(p);
        var b = h.GetHashAndReset();

        h.AppendData(p);
        h.AppendData(s);
        int count;
        for (count = p.Length; count > size; count -= size)
        {
            h.AppendData(b);
        }

        h.AppendData(b.AsSpan(0, count));
        for (count = p.Length; count > 0; count >>= 1)
        {
            if ((count & 1) != 0)
            {
                h.AppendData(b);
            }
            else
            {
                h.AppendData(p);
            }
        }

        var a = h.GetHashAndReset();

        for (var i = 0; i < p.Length; i++)
        {
            h.AppendData(p);
        }

        var pSequence = Repeat(h.GetHashAndReset(), p.Length);

        for (var i = 0; i < 16 + a[0]; i++)
        {
            h.AppendData(s);
        }

        var sSequence = Repeat(h.GetHashAndReset(), s.Length);

        var c = a;
        for (var round = 0; round < rounds; round++)
        {
            var odd = (round & 1) != 0;
            h.AppendData(odd ? pSequence : c);
            if (round % 3 != 0)
            {
                h.AppendData(sSequence);
            }

            if (round % 7 != 0)
            {
                h.AppendData(pSequence);
            }

            h.AppendData(odd ? c : pSequence);
            h.GetHashAndReset(c);
        }

        CryptographicOperations.ZeroMemory(pSequence);
        return c;
    }

    private static byte[] Repeat(byte[] block, int length)
    {
        var result = new byte[length];
        for (var i = 0; i < length; i += block.Length)
        {
            block.AsSpan(0, Math.Min(block.Length, length - i)).CopyTo(result.AsSpan(i));
        }

        return result;
    }

    // The spec interleaves the digest bytes in groups of three before the 6-bit encoding: group i takes bytes i,
    // i+n and i+2n (n = 10 for SHA-256, 21 for SHA-512) in an order that rotates with i mod 3 (the two variants
    // rotate in opposite directions); the last one or two bytes go alone.
    private static void Encode(byte[] d, bool sha512, StringBuilder text)
    {
        var n = sha512 ? 21 : 10;
        for (var i = 0; i < n; i++)
        {
            int x = d[i], y = d[i + n], z = d[i + (2 * n)];
            switch ((i % 3, sha512))
            {
                case (0, _): Put(text, x, y, z, 4); break;
                case (1, false) or (2, true): Put(text, z, x, y, 4); break;
                default: Put(text, y, z, x, 4); break;
            }
        }

        if (sha512)
        {
            Put(text, 0, 0, d[63], 2);
        }
        else
        {
            Put(text, 0, d[31], d[30], 3);
        }
    }

    private static void Put(StringBuilder text, int b2, int b1, int b0, int chars)
    {
        var w = (b2 << 16) | (b1 << 8) | b0;
        for (var i = 0; i < chars; i++)
        {
            text.Append(Alphabet[w & 0x3F]);
            w >>= 6;
        }
    }
}

/// <summary>A parsed crypt string: variant 5 or 6, rounds, salt, and the hash part when present.</summary>
internal readonly record struct ShaCryptSetting(int Variant, int Rounds, bool RoundsGiven, string Salt, string? Hash);
