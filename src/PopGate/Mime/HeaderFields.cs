using System.Collections;
using System.Text;

namespace PopGate.Mime;

/// <summary>One header field, unfolded, its value still in RFC 2047 form.</summary>
public sealed record HeaderField(string Name, string Value);

/// <summary>
/// The fields of a message header (the lines up to the first empty line), unfolded and in order (RFC 5322 §2.2).
/// Values are read as UTF-8 when they are valid UTF-8 (RFC 6532) and as Latin-1 otherwise, so raw 8-bit headers
/// survive as text. Lines that are no field (a "From " envelope line, garbage) are skipped, as mail readers do.
/// </summary>
public sealed class HeaderFields : IReadOnlyList<HeaderField>
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);
    private readonly List<HeaderField> _fields;

    private HeaderFields(List<HeaderField> fields) => _fields = fields;

    public int Count => _fields.Count;

    public HeaderField this[int index] => _fields[index];

    /// <summary>Parses the header at the start of <paramref name="message"/>; whatever follows the empty line is ignored.</summary>
    public static HeaderFields Parse(ReadOnlySpan<byte> message)
    {
        var fields = new List<HeaderField>();
        string? name = null;
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
            if (colon <= 0 || line[..colon].IndexOfAny((byte)' ', (byte)'\t') >= 0)
            {
                continue;
            }

            name = Encoding.ASCII.GetString(line[..colon]);
            value.Clear();
            value.AddRange(line[(colon + 1)..]);
        }

        Add();
        return new HeaderFields(fields);

        void Add()
        {
            if (name is not null)
            {
                fields.Add(new HeaderField(name, Text(value.ToArray()).Trim()));
                name = null;
            }
        }
    }

    /// <summary>The first field of that name (case-insensitive), raw (encoded-words left as they are), or null.</summary>
    public string? Raw(string name) =>
        _fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))?.Value;

    /// <summary>The first field of that name with its encoded-words decoded, or null.</summary>
    public string? Decoded(string name) => Raw(name) is { } raw ? EncodedWords.Decode(raw) : null;

    public IEnumerator<HeaderField> GetEnumerator() => _fields.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

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
