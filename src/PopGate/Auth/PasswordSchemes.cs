using System.Security.Cryptography;

namespace PopGate.Auth;

/// <summary>The schemes a users file may name, and the split of a password field into scheme and hash.</summary>
internal static class PasswordSchemes
{
    public const string Supported =
        "PBKDF2-SHA256, SHA512-CRYPT, SHA256-CRYPT, CRYPT ($5$/$6$), SHA256, SSHA256, SSHA512, SCRAM-SHA-256, PLAIN, CLEAR, CLEARTEXT"
        + " (digests and PLAIN also with .HEX or .B64)";

    /// <summary>The scheme named like "SHA256" or "SSHA512.HEX" (upper case), or null if unknown.</summary>
    public static IPasswordScheme? Find(string scheme)
    {
        var dot = scheme.IndexOf('.', StringComparison.Ordinal);
        var name = dot < 0 ? scheme : scheme[..dot];
        var encoding = StoredEncoding.Default;
        if (dot >= 0 && !StoredBytes.TryParseSuffix(scheme[(dot + 1)..], out encoding))
        {
            return null;
        }

        return (name, encoding) switch
        {
            ("PLAIN" or "CLEAR" or "CLEARTEXT", _) => new PlainScheme(encoding),
            ("SHA256", _) => new DigestScheme(HashAlgorithmName.SHA256, salted: false, encoding),
            ("SSHA256", _) => new DigestScheme(HashAlgorithmName.SHA256, salted: true, encoding),
            ("SSHA512", _) => new DigestScheme(HashAlgorithmName.SHA512, salted: true, encoding),
            ("PBKDF2-SHA256", StoredEncoding.Default) => Pbkdf2Sha256Scheme.Instance,
            ("SHA256-CRYPT", StoredEncoding.Default) => ShaCryptScheme.Sha256,
            ("SHA512-CRYPT", StoredEncoding.Default) => ShaCryptScheme.Sha512,
            ("CRYPT", StoredEncoding.Default) => ShaCryptScheme.Either,
            ("SCRAM-SHA-256", StoredEncoding.Default) => ScramSha256Scheme.Instance,
            _ => null,
        };
    }

    public static bool IsClearText(string scheme)
    {
        var dot = scheme.IndexOf('.', StringComparison.Ordinal);
        var name = dot < 0 ? scheme : scheme[..dot];
        return name is "PLAIN" or "CLEAR" or "CLEARTEXT";
    }

    /// <summary>
    /// Splits "{SCHEME}hash". A value without a prefix is accepted only when it is a $5$/$6$ crypt string, which is
    /// what such lines hold in /etc/shadow-derived files.
    /// </summary>
    public static bool TrySplit(string field, out string scheme, out string hash, out string? error)
    {
        scheme = string.Empty;
        hash = string.Empty;
        if (field.StartsWith('{'))
        {
            var close = field.IndexOf('}', StringComparison.Ordinal);
            if (close <= 1)
            {
                error = close < 0 ? "password starts with '{' but has no closing '}'" : "password has an empty {} scheme";
                return false;
            }

            scheme = field[1..close].ToUpperInvariant();
            hash = field[(close + 1)..];
            error = null;
            return true;
        }

        if (field.StartsWith("$5$", StringComparison.Ordinal) || field.StartsWith("$6$", StringComparison.Ordinal))
        {
            scheme = field[1] == '5' ? "SHA256-CRYPT" : "SHA512-CRYPT";
            hash = field;
            error = null;
            return true;
        }

        error = "password has no {SCHEME} prefix and is not a $5$/$6$ crypt string";
        return false;
    }
}
