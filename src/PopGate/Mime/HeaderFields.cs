using System.Text;

namespace PopGate.Mime;

/// <summary>
/// The fields of a message header (the lines up to the first empty line), unfolded. Field values are read as
/// UTF-8 when they are valid UTF-8 (RFC 6532) and as Latin-1 otherwise, so raw 8-bit headers survive as text.
/// </summary>
public sealed class HeaderFields
{
    private readonly List<(string Name, string Value)> _fields;

    private HeaderFields(List<(string Name, string Value)> fields)
    {
        _fields = fields;
    }

    public IReadOnlyList<(string Name, string Value)> All => _fields;

    /// <summary>Parses the header at the start of <paramref name="message"/>; whatever follows the empty line is ignored.</summary>
    public static HeaderFields Parse(ReadOnlySpan<byte> message)
    {
        var fields = new List<(string, string)>();
        var name = (string?)null;
        var value = new List<byte>();
        while (!message.IsEmpty)
        {
            var lf = message.IndexOf((byte)'\n');
            var line = lf < 0 ? message : message[..lf];
            message = lf < 0 ? [] : message[(lf + 1)..];
            if (!line.IsEmpty && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            if (line.IsEmpty)
            {
                break;
            }

            if (line[0] is (byte)' ' or (byte)'\t')
            {
                // A folded continuation: unfolding removes only the line break.
                if (name is not null)
                {
                    value.AddRange(line);
                }

                continue;
            }

            Add();
            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                name = null;
                continue;
            }

            name = Encoding.ASCII.GetString(line[..colon]).Trim();
            value.Clear();
            value.AddRange(line[(colon + 1)..]);
        }

        Add();
        return new HeaderFields(fields);

        void Add()
        {
            if (name is not null)
            {
                fields.Add((name, Text(value.ToArray()).Trim()));
                name = null;
            }
        }
    }

    /// <summary>The first field of that name, raw (encoded-words left as they are), or null.</summary>
    public string? Raw(string name) =>
        _fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>The first field of that name with its encoded-words decoded, or null.</summary>
    public string? Decoded(string name) => Raw(name) is { } raw ? EncodedWords.Decode(raw) : null;

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    private static string Text(byte[] bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(bytes);
        }
    }
}
