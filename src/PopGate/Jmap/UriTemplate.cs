using System.Text;

namespace PopGate.Jmap;

/// <summary>
/// RFC 6570 level 1 expansion, which is all RFC 8620 asks of the downloadUrl template: each {name} becomes its
/// value, UTF-8 encoded with every octet outside the unreserved set percent-encoded.
/// </summary>
public static class UriTemplate
{
    /// <summary>Expands the template; a variable with no value expands to nothing.</summary>
    /// <exception cref="FormatException">An unclosed brace, or an expression above level 1.</exception>
    public static string Expand(string template, Func<string, string?> value)
    {
        var output = new StringBuilder(template.Length + 64);
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            if (open < 0)
            {
                output.Append(template, i, template.Length - i);
                break;
            }

            output.Append(template, i, open - i);
            var close = template.IndexOf('}', open + 1);
            if (close < 0)
            {
                throw new FormatException("URI template has an unclosed '{'");
            }

            var name = template.AsSpan(open + 1, close - open - 1);
            if (name.IsEmpty || !IsVariableName(name))
            {
                throw new FormatException($"URI template expression '{{{name}}}' is not a level 1 variable");
            }

            AppendEncoded(output, value(name.ToString()));
            i = close + 1;
        }

        return output.ToString();
    }

    private static bool IsVariableName(ReadOnlySpan<char> name)
    {
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '%'))
            {
                return false;
            }
        }

        return true;
    }

    private static void AppendEncoded(StringBuilder output, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.IsAscii && IsUnreserved((char)rune.Value))
            {
                output.Append((char)rune.Value);
                continue;
            }

            var length = rune.EncodeToUtf8(utf8);
            for (var k = 0; k < length; k++)
            {
                output.Append('%').Append(HexUpper[utf8[k] >> 4]).Append(HexUpper[utf8[k] & 0xF]);
            }
        }
    }

    private const string HexUpper = "0123456789ABCDEF";

    private static bool IsUnreserved(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~';
}
