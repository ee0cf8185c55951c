using System.Buffers.Text;

namespace PopGate.Auth;

/// <summary>How the binary part of a stored password is written: Dovecot's ".HEX"/".B64" scheme suffixes.</summary>
internal enum StoredEncoding
{
    /// <summary>No suffix: the scheme's default (base64 for digests, raw text for PLAIN).</summary>
    Default,
    Base64,
    Hex,
}

internal static class StoredBytes
{
    public static bool TryParseSuffix(string suffix, out StoredEncoding encoding)
    {
        encoding = suffix switch
        {
            "HEX" => StoredEncoding.Hex,
            "B64" or "BASE64" => StoredEncoding.Base64,
            _ => StoredEncoding.Default,
        };
        return encoding != StoredEncoding.Default;
    }

    /// <summary>
    /// Decodes base64 or hex. With no explicit encoding a value of exactly <paramref name="hexLength"/> hex digits is
    /// taken as hex, as Dovecot does, since such a string is rarely valid base64 of the expected size.
    /// </summary>
    public static byte[]? TryDecode(string text, StoredEncoding encoding, int hexLength = -1)
    {
        if (encoding == StoredEncoding.Hex || (encoding == StoredEncoding.Default && text.Length == hexLength && IsHex(text)))
        {
            return text.Length % 2 == 0 && IsHex(text) ? Convert.FromHexString(text) : null;
        }

        return TryDecodeBase64(text);
    }

    public static byte[]? TryDecodeBase64(string text)
    {
        if (text.Length == 0 || !Base64.IsValid(text.AsSpan(), out var length))
        {
            return null;
        }

        var bytes = new byte[length];
        return Convert.TryFromBase64String(text, bytes, out var written) && written == length ? bytes : null;
    }

    private static bool IsHex(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
