using System.Text;

namespace PopGate.Jmap.Mime;

/// <summary>
/// Decodes RFC 2047 encoded-words ("=?charset?B?...?=", "=?charset?Q?...?="). Whitespace between two encoded-words
/// is dropped, and adjacent words in one charset are decoded together so a character split across them survives.
/// Words in an unknown charset, or malformed, are left as they are.
/// </summary>
public static class EncodedWords
{
    public static string Decode(string text)
    {
        if (!text.Contains("=?", StringComparison.Ordinal))
        {
            return text;
        }

        var output = new StringBuilder(text.Length);
        var pending = new List<byte>();
        Encoding? pendingCharset = null;
        var i = 0;
        var gapStart = -1;
        while (i < text.Length)
        {
            if (TryWord(text, i, out var charset, out var bytes, out var end))
            {
                if (pendingCharset is not null && !ReferenceEquals(pendingCharset, charset) && !pendingCharset.Equals(charset))
                {
                    Flush(output, pending, ref pendingCharset);
                }

                // Only whitespace since the previous word: it goes, as RFC 2047 section 6.2 says.
                gapStart = -1;
                pendingCharset = charset;
                pending.AddRange(bytes);
                i = end;
                continue;
            }

            if (pendingCharset is not null && (text[i] == ' ' || text[i] == '\t'))
            {
                gapStart = gapStart < 0 ? i : gapStart;
                i++;
                continue;
            }

            Flush(output, pending, ref pendingCharset);
            if (gapStart >= 0)
            {
                output.Append(text, gapStart, i - gapStart);
                gapStart = -1;
            }

            output.Append(text[i]);
            i++;
        }

        Flush(output, pending, ref pendingCharset);
        if (gapStart >= 0)
        {
            output.Append(text, gapStart, text.Length - gapStart);
        }

        return output.ToString();
    }

    private static void Flush(StringBuilder output, List<byte> pending, ref Encoding? charset)
    {
        if (charset is not null)
        {
            output.Append(charset.GetString(pending.ToArray()));
            pending.Clear();
            charset = null;
        }
    }

    private static bool TryWord(string text, int start, out Encoding charset, out byte[] bytes, out int end)
    {
        charset = Encoding.UTF8;
        bytes = [];
        end = start;
        if (start + 8 > text.Length || text[start] != '=' || text[start + 1] != '?')
        {
            return false;
        }

        var q1 = text.IndexOf('?', start + 2);
        if (q1 < 0 || q1 + 3 >= text.Length || text[q1 + 2] != '?')
        {
            return false;
        }

        var close = text.IndexOf("?=", q1 + 3, StringComparison.Ordinal);
        if (close < 0)
        {
            return false;
        }

        var name = text[(start + 2)..q1];
        var star = name.IndexOf('*', StringComparison.Ordinal);
        if (star >= 0)
        {
            name = name[..star];
        }

        var found = Charset(name);
        if (found is null)
        {
            return false;
        }

        var payload = text.AsSpan(q1 + 3, close - q1 - 3);
        if (payload.ContainsAny(" \t"))
        {
            return false;
        }

        byte[]? decoded = char.ToUpperInvariant(text[q1 + 1]) switch
        {
            'B' => FromBase64(payload),
            'Q' => FromQ(payload),
            _ => null,
        };
        if (decoded is null)
        {
            return false;
        }

        charset = found;
        bytes = decoded;
        end = close + 2;
        return true;
    }

    private static Encoding? Charset(string name)
    {
        // UTF-7 is refused by the runtime (and has been abused to smuggle markup): such words stay encoded.
        try
        {
            return Encoding.GetEncoding(name);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            try
            {
                return CodePagesEncodingProvider.Instance.GetEncoding(name);
            }
            catch (Exception inner) when (inner is ArgumentException or NotSupportedException)
            {
                return null;
            }
        }
    }

    private static byte[]? FromBase64(ReadOnlySpan<char> payload)
    {
        var padded = payload.ToString();
        if (padded.Length % 4 != 0)
        {
            padded = padded.PadRight(padded.Length + (4 - (padded.Length % 4)), '=');
        }

        try
        {
            return Convert.FromBase64String(padded);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static byte[]? FromQ(ReadOnlySpan<char> payload)
    {
        var bytes = new List<byte>(payload.Length);
        for (var i = 0; i < payload.Length; i++)
        {
            var c = payload[i];
            if (c == '_')
            {
                bytes.Add((byte)' ');
            }
            else if (c == '=' && i + 2 < payload.Length && char.IsAsciiHexDigit(payload[i + 1]) && char.IsAsciiHexDigit(payload[i + 2]))
            {
                bytes.Add((byte)Convert.ToInt32(payload.Slice(i + 1, 2).ToString(), 16));
                i += 2;
            }
            else if (c > 0x7E)
            {
                return null;
            }
            else
            {
                bytes.Add((byte)c);
            }
        }

        return bytes.ToArray();
    }
}
