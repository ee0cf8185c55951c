using System.Text;

namespace PopGate.Imap;

/// <summary>Mailbox names on the wire: RFC 3501's modified UTF-7 ("&amp;" shifts into base64 of UTF-16, "," for "/").</summary>
public static class MailboxName
{
    public static string Encode(string name)
    {
        var output = new StringBuilder(name.Length + 8);
        var i = 0;
        while (i < name.Length)
        {
            var c = name[i];
            if (c is >= (char)0x20 and <= (char)0x7E)
            {
                output.Append(c == '&' ? "&-" : c);
                i++;
                continue;
            }

            var start = i;
            while (i < name.Length && name[i] is < (char)0x20 or > (char)0x7E)
            {
                i++;
            }

            var utf16 = Encoding.BigEndianUnicode.GetBytes(name[start..i]);
            output.Append('&').Append(Convert.ToBase64String(utf16).TrimEnd('=').Replace('/', ',')).Append('-');
        }

        return output.ToString();
    }

    public static string Decode(string wire)
    {
        var output = new StringBuilder(wire.Length);
        var i = 0;
        while (i < wire.Length)
        {
            var amp = wire.IndexOf('&', i);
            if (amp < 0)
            {
                output.Append(wire, i, wire.Length - i);
                break;
            }

            output.Append(wire, i, amp - i);
            var dash = wire.IndexOf('-', amp + 1);
            if (dash < 0)
            {
                output.Append(wire, amp, wire.Length - amp);
                break;
            }

            if (dash == amp + 1)
            {
                output.Append('&');
            }
            else
            {
                var b64 = wire[(amp + 1)..dash].Replace(',', '/');
                b64 = b64.PadRight((b64.Length + 3) / 4 * 4, '=');
                output.Append(Encoding.BigEndianUnicode.GetString(Convert.FromBase64String(b64)));
            }

            i = dash + 1;
        }

        return output.ToString();
    }
}
