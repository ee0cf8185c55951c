using System.Text;

namespace PopGate.Imap;

/// <summary>Splits the text of a status response into its optional "[CODE arguments]" and the human text.</summary>
public static class ImapResponseText
{
    public static (string? Code, string? Arguments, string Text) Parse(ReadOnlySpan<byte> text)
    {
        if (text.IsEmpty || text[0] != (byte)'[')
        {
            return (null, null, Decode(text));
        }

        var close = text.IndexOf((byte)']');
        if (close < 0)
        {
            return (null, null, Decode(text));
        }

        var inside = text[1..close];
        var rest = text[(close + 1)..];
        if (!rest.IsEmpty && rest[0] == (byte)' ')
        {
            rest = rest[1..];
        }

        var space = inside.IndexOf((byte)' ');
        var name = space < 0 ? inside : inside[..space];
        string? arguments = space < 0 ? null : Decode(inside[(space + 1)..]);
        return (Decode(name).ToUpperInvariant(), arguments, Decode(rest));
    }

    private static string Decode(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
