using System.Text;

namespace PopGate.Mime;

/// <summary>
/// Decodes RFC 2047 encoded-words ("=?charset?B|Q?text?=") in a header value. Adjacent encoded-words are joined
/// without the white space between them, and their bytes are decoded together when they share a charset, since
/// senders split multi-byte characters across words. A word whose charset is unknown or whose text is broken is
/// left as it was.
/// </summary>
public static class EncodedWords
{
    static EncodedWords()
    {
        // Headers come in Windows, ISO-2022 and other legacy charsets that .NET only knows through this provider.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    public static string Decode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Contains("=?", StringComparison.Ordinal))
        {
            return value;
        }

        var output = new StringBuilder(value.Length);
        var pending = new List<byte>();
        Encoding? pendingCharset = null;
        var at = 0;
        var gapStart = -1;
        while (at < value.Length)
        {
            if (TryReadWord(value, at, out var end, out var charset, out var bytes))
            {
                if (pendingCharset is not null && !Equals(pendingCharset, charset))
                {
                    output.Append(Text(pendingCharset, pending));
                    pending.Clear();
                }

                pendingCharset = charset;
                pending.AddRange(bytes);
                at = end;
                gapStart = at;
                continue;
            }

            // White space after an encoded-word is held back: it vanishes if another encoded-word follows.
            if (gapStart >= 0 && (value[at] is ' ' or '\t'))
            {
                at++;
                continue;
            }

            Flush();
            if (gapStart >= 0)
            {
                output.Append(value, gapStart, at - gapStart);
                gapStart = -1;
            }

            output.Append(value[at]);
            at++;
        }

        Flush();
        if (gapStart >= 0)
        {
            output.Append(value, gapStart, at - gapStart);
        }

        return output.ToString();

        void Flush()
        {
            if (pendingCharset is not null)
            {
                output.Append(Text(pendingCharset, pending));
                pending.Clear();
                pendingCharset = null;
            }
        }
    }

    // A byte order mark some senders put at the start of an encoded text is not part of it.
    private static string Text(Encoding charset, List<byte> bytes) => charset.GetString(bytes.ToArray()).TrimStart('\uFEFF');

    private static bool TryReadWord(string value, int at, out int end, out Encoding charset, out byte[] bytes)
    {
        end = at;
        charset = null!;
        bytes = [];
        if (string.CompareOrdinal(value, at, "=?", 0, 2) != 0)
        {
            return false;
        }

        var q1 = value.IndexOf('?', at + 2);
        if (q1 < 0 || q1 + 2 >= value.Length || value[q1 + 2] != '?')
        {
            return false;
        }

        var close = value.IndexOf("?=", q1 + 3, StringComparison.Ordinal);
        if (close < 0)
        {
            return false;
        }

        var name = value[(at + 2)..q1];
        var star = name.IndexOf('*');
        if (star >= 0)
        {
            name = name[..star];
        }

        var text = value[(q1 + 3)..close];
        if (name.Length == 0 || text.Contains(' ', StringComparison.Ordinal) || !TryGetEncoding(name, out charset))
        {
            return false;
        }

        var decoded = char.ToUpperInvariant(value[q1 + 1]) switch
        {
            'B' => DecodeBase64(text),
            'Q' => DecodeQ(text),
            _ => null,
        };
        if (decoded is null)
        {
            return false;
        }

        bytes = decoded;
        end = close + 2;
        return true;
    }

    private static bool TryGetEncoding(string name, out Encoding encoding)
    {
        if (name.Equals("utf-7", StringComparison.OrdinalIgnoreCase) || name.Equals("unicode-1-1-utf-7", StringComparison.OrdinalIgnoreCase))
        {
            // .NET refuses UTF-7 through GetEncoding because it can smuggle markup past filters; decoding a header
            // for display is what it exists for here, so it is asked for by name.
#pragma warning disable SYSLIB0001
            encoding = new UTF7Encoding();
#pragma warning restore SYSLIB0001
            return true;
        }

        try
        {
            encoding = Encoding.GetEncoding(name);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            // Unknown names, and UTF-7, which .NET refuses on purpose.
            encoding = null!;
            return false;
        }
    }

    private static byte[]? DecodeBase64(string text)
    {
        var padded = text.TrimEnd('=');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        var buffer = new byte[padded.Length];
        return Convert.TryFromBase64String(padded, buffer, out var written) ? buffer[..written] : null;
    }

    private static byte[]? DecodeQ(string text)
    {
        var output = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '_')
            {
                output.Add((byte)' ');
            }
            else if (c == '=' && i + 2 < text.Length && char.IsAsciiHexDigit(text[i + 1]) && char.IsAsciiHexDigit(text[i + 2]))
            {
                output.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
                i += 2;
            }
            else if (c > 0x7F)
            {
                return null;
            }
            else
            {
                output.Add((byte)c);
            }
        }

        return output.ToArray();
    }
}
