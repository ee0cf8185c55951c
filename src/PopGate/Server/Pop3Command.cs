using System.Buffers;
using System.Text;

namespace PopGate.Server;

/// <summary>A command line split into its keyword (upper case) and the rest.</summary>
internal readonly record struct Pop3Command(string Verb, string Arguments)
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>Parses one line; null when it holds a NUL or control byte no POP3 command may carry.</summary>
    public static Pop3Command? Parse(in ReadOnlySequence<byte> line)
    {
        foreach (var segment in line)
        {
            foreach (var b in segment.Span)
            {
                if (b < 0x20 && b != (byte)'\t')
                {
                    return null;
                }
            }
        }

        var text = Utf8.GetString(line);
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        var verb = space < 0 ? text : text[..space];
        var arguments = space < 0 ? string.Empty : text[(space + 1)..];
        return new Pop3Command(verb.ToUpperInvariant(), arguments);
    }

    /// <summary>The arguments split on spaces (RFC 1939 separates them by a single space; extra ones are tolerated).</summary>
    public string[] Split() => Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
