using System.Text;

namespace PopGate.Auth;

/// <summary>The client's first message (RFC 5802 §7): gs2 header, then n=user,r=nonce[,extensions].</summary>
internal sealed record ScramClientFirst(string Gs2Header, string Bare, string User, string AuthorizationId, string Nonce);

/// <summary>The client's final message: c=binding,r=nonce[,extensions],p=proof.</summary>
internal sealed record ScramClientFinal(string WithoutProof, byte[] ChannelBinding, string Nonce, byte[] Proof);

/// <summary>Parsers of the SCRAM client messages; each returns an RFC 5802 server-error value on failure.</summary>
internal static class ScramMessages
{
    public const int MaxNonceLength = 512;
    public const string InvalidEncoding = "invalid-encoding";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string? TryDecode(ReadOnlySpan<byte> message, int maxBytes, out string text)
    {
        text = string.Empty;
        if (message.IsEmpty || message.Length > maxBytes)
        {
            return InvalidEncoding;
        }

        try
        {
            text = StrictUtf8.GetString(message);
            return null;
        }
        catch (DecoderFallbackException)
        {
            return InvalidEncoding;
        }
    }

    public static string? TryParseFirst(string text, out ScramClientFirst first)
    {
        first = null!;
        if (text.StartsWith("p=", StringComparison.Ordinal))
        {
            return "channel-binding-not-supported";
        }

        if (!(text.StartsWith("n,", StringComparison.Ordinal) || text.StartsWith("y,", StringComparison.Ordinal)))
        {
            return InvalidEncoding;
        }

        var headerEnd = text.IndexOf(',', 2);
        if (headerEnd < 0)
        {
            return InvalidEncoding;
        }

        var authzid = string.Empty;
        var authzField = text[2..headerEnd];
        if (authzField.Length > 0)
        {
            if (!authzField.StartsWith("a=", StringComparison.Ordinal) || !TryUnescape(authzField[2..], out authzid))
            {
                return InvalidEncoding;
            }
        }

        var header = text[..(headerEnd + 1)];
        var bare = text[(headerEnd + 1)..];
        var attributes = bare.Split(',');
        if (attributes[0].StartsWith("m=", StringComparison.Ordinal))
        {
            return "extensions-not-supported";
        }

        if (attributes.Length < 2 || !attributes[0].StartsWith("n=", StringComparison.Ordinal) || !attributes[1].StartsWith("r=", StringComparison.Ordinal))
        {
            return InvalidEncoding;
        }

        if (!TryUnescape(attributes[0][2..], out var user))
        {
            return "invalid-username-encoding";
        }

        var nonce = attributes[1][2..];
        if (!IsNonce(nonce) || !ExtensionsValid(attributes.AsSpan(2)))
        {
            return InvalidEncoding;
        }

        first = new ScramClientFirst(header, bare, user, authzid, nonce);
        return null;
    }

    public static string? TryParseFinal(string text, out ScramClientFinal final)
    {
        final = null!;
        var proofAt = text.LastIndexOf(",p=", StringComparison.Ordinal);
        if (proofAt < 0)
        {
            return InvalidEncoding;
        }

        var withoutProof = text[..proofAt];
        var proof = StoredBytes.TryDecodeBase64(text[(proofAt + 3)..]);
        var attributes = withoutProof.Split(',');
        if (proof is null || attributes.Length < 2
            || !attributes[0].StartsWith("c=", StringComparison.Ordinal) || !attributes[1].StartsWith("r=", StringComparison.Ordinal)
            || !ExtensionsValid(attributes.AsSpan(2)))
        {
            return InvalidEncoding;
        }

        var binding = StoredBytes.TryDecodeBase64(attributes[0][2..]);
        if (binding is null)
        {
            return InvalidEncoding;
        }

        final = new ScramClientFinal(withoutProof, binding, attributes[1][2..], proof);
        return null;
    }

    /// <summary>A saslname: ',' and '=' travel as "=2C" and "=3D"; any other '=' is an error.</summary>
    public static bool TryUnescape(string saslname, out string value)
    {
        value = string.Empty;
        if (saslname.Length == 0)
        {
            return false;
        }

        var sb = new StringBuilder(saslname.Length);
        for (var i = 0; i < saslname.Length; i++)
        {
            var c = saslname[i];
            if (c == '=')
            {
                var code = saslname.AsSpan(i + 1, Math.Min(2, saslname.Length - i - 1));
                if (code.SequenceEqual("2C"))
                {
                    sb.Append(',');
                }
                else if (code.SequenceEqual("3D"))
                {
                    sb.Append('=');
                }
                else
                {
                    return false;
                }

                i += 2;
            }
            else if (c == ',' || char.IsControl(c))
            {
                return false;
            }
            else
            {
                sb.Append(c);
            }
        }

        value = sb.ToString();
        return true;
    }

    /// <summary>printable = %x21-2B / %x2D-7E: visible ASCII except ','.</summary>
    public static bool IsNonce(string nonce)
    {
        if (nonce.Length == 0 || nonce.Length > MaxNonceLength)
        {
            return false;
        }

        foreach (var c in nonce)
        {
            if (c < 0x21 || c > 0x7E || c == ',')
            {
                return false;
            }
        }

        return true;
    }

    private static bool ExtensionsValid(ReadOnlySpan<string> attributes)
    {
        foreach (var attribute in attributes)
        {
            if (attribute.Length < 2 || !char.IsAsciiLetter(attribute[0]) || attribute[1] != '=')
            {
                return false;
            }
        }

        return true;
    }
}
