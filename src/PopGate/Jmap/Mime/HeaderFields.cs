using System.Text;

namespace PopGate.Jmap.Mime;

/// <summary>One header field, unfolded, its value still in RFC 2047 form.</summary>
public sealed record HeaderField(string Name, string Value);

/// <summary>Splits a header block into fields (RFC 5322 section 2.2): unfolds continuation lines, keeps order.</summary>
public static class HeaderFields
{
    public static IReadOnlyList<HeaderField> Parse(ReadOnlySpan<byte> block)
    {
        var fields = new List<HeaderField>();
        string? name = null;
        var value = new StringBuilder();
        foreach (var rawLine in Lines(block))
        {
            var line = Decode(rawLine);
            if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t'))
            {
                // Unfolding removes the line break only; the whitespace that starts the next line stays.
                if (name is not null)
                {
                    value.Append(line);
                }

                continue;
            }

            if (name is not null)
            {
                fields.Add(new HeaderField(name, value.ToString().Trim()));
                name = null;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || line.AsSpan(0, colon).ContainsAny(" \t"))
            {
                // Not a field ("From " envelope line, garbage): skipped, as mail readers do.
                continue;
            }

            name = line[..colon];
            value.Clear().Append(line, colon + 1, line.Length - colon - 1);
        }

        if (name is not null)
        {
            fields.Add(new HeaderField(name, value.ToString().Trim()));
        }

        return fields;
    }

    /// <summary>The first field of that name (case-insensitive), or null.</summary>
    public static string? First(IReadOnlyList<HeaderField> fields, string name) =>
        fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))?.Value;

    private static List<byte[]> Lines(ReadOnlySpan<byte> block)
    {
        var lines = new List<byte[]>();
        while (!block.IsEmpty)
        {
            var lf = block.IndexOf((byte)'\n');
            var line = lf < 0 ? block : block[..lf];
            if (!line.IsEmpty && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            lines.Add(line.ToArray());
            block = lf < 0 ? [] : block[(lf + 1)..];
        }

        return lines;
    }

    /// <summary>Raw 8-bit header text is UTF-8 nowadays (RFC 6532); anything else is taken as Latin-1.</summary>
    private static string Decode(byte[] line)
    {
        try
        {
            return Strict.GetString(line);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(line);
        }
    }

    private static readonly UTF8Encoding Strict = new(false, true);
}
