using System.Text;
using PopGate.Testing;

namespace PopGate.Tests.Client;

/// <summary>
/// The MailKit POP3 reply files of the corpus (stored with LF line ends), served either converted to CRLF as the
/// servers sent them or with bare LF, which some servers really send.
/// </summary>
internal sealed class MailKitReplies(bool crlf)
{
    public bool Crlf => crlf;

    public byte[] Bytes(string name)
    {
        var raw = File.ReadAllBytes(Path.Combine(TestCorpus.Root, "transcripts", "mailkit-pop3", name));
        return crlf ? ToCrlf(raw) : raw;
    }

    public string Text(string name) => Encoding.Latin1.GetString(Bytes(name));

    public ScriptStep Step(string command, string name) => new(command, Bytes(name));

    /// <summary>
    /// The message a RETR or TOP reply file carries, as a client must deliver it: the lines between the status line
    /// and the final ".", each with one leading '.' removed when it starts with "..", line ends as served.
    /// Written line by line, independently of the streaming unstuffer under test.
    /// </summary>
    public byte[] Bodies(string name, int index = 0)
    {
        var eol = crlf ? "\r\n" : "\n";
        var text = Text(name);
        var lines = text.Split(eol);
        var bodies = new List<StringBuilder>();
        StringBuilder? current = null;
        foreach (var line in lines)
        {
            if (current is null)
            {
                if (line.StartsWith("+OK", StringComparison.Ordinal))
                {
                    current = new StringBuilder();
                }

                continue;
            }

            if (line == ".")
            {
                bodies.Add(current);
                current = null;
                continue;
            }

            current.Append(line.StartsWith('.') ? line[1..] : line).Append(eol);
        }

        return Encoding.Latin1.GetBytes(bodies[index].ToString());
    }

    private static byte[] ToCrlf(byte[] raw)
    {
        var output = new List<byte>(raw.Length + raw.Length / 16);
        byte previous = 0;
        foreach (var b in raw)
        {
            if (b == (byte)'\n' && previous != (byte)'\r')
            {
                output.Add((byte)'\r');
            }

            output.Add(b);
            previous = b;
        }

        return output.ToArray();
    }
}
