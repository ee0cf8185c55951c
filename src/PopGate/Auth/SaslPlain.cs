using System.Text;

namespace PopGate.Auth;

/// <summary>The SASL PLAIN message (RFC 4616): [authzid] NUL authcid NUL password, all UTF-8.</summary>
public static class SaslPlain
{
    /// <summary>RFC 4616 §2 bounds each field to 255 octets.</summary>
    public const int MaxFieldBytes = 255;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Splits a decoded PLAIN message. False when it does not hold exactly two NULs, when the user or password is
    /// empty, when a field is longer than 255 octets, or when a field is not UTF-8. The authzid is empty when absent.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> message, out string authzid, out string authcid, out string password)
    {
        authzid = authcid = password = string.Empty;
        var first = message.IndexOf((byte)0);
        if (first < 0)
        {
            return false;
        }

        var afterFirst = message[(first + 1)..];
        var second = afterFirst.IndexOf((byte)0);
        if (second < 0)
        {
            return false;
        }

        var zid = message[..first];
        var cid = afterFirst[..second];
        var pass = afterFirst[(second + 1)..];
        if (cid.IsEmpty || pass.IsEmpty || pass.Contains((byte)0)
            || zid.Length > MaxFieldBytes || cid.Length > MaxFieldBytes || pass.Length > MaxFieldBytes)
        {
            return false;
        }

        try
        {
            authzid = StrictUtf8.GetString(zid);
            authcid = StrictUtf8.GetString(cid);
            password = StrictUtf8.GetString(pass);
            return true;
        }
        catch (DecoderFallbackException)
        {
            authzid = authcid = password = string.Empty;
            return false;
        }
    }
}
