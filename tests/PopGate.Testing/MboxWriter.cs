using System.Text;
using System.Text.RegularExpressions;

namespace PopGate.Testing;

/// <summary>Writes test mbox files the way delivery agents do (mboxrd quoting, a blank line after each message).</summary>
public static partial class MboxWriter
{
    public static byte[] Mboxrd(IEnumerable<byte[]> messages)
    {
        var output = new MemoryStream();
        var n = 0;
        foreach (var message in messages)
        {
            output.Write(Encoding.ASCII.GetBytes($"From sender{n++}@example.org Mon Jan  1 00:00:00 2024\n"));
            var quoted = Encoding.Latin1.GetBytes(FromLine().Replace(Encoding.Latin1.GetString(message), ">$1"));
            output.Write(quoted);
            if (quoted.Length > 0 && quoted[^1] != (byte)'\n')
            {
                output.Write("\n"u8);
            }

            output.Write("\n"u8);
        }

        return output.ToArray();
    }

    /// <summary>What a POP3 client gets for a message stored by <see cref="Mboxrd"/>: the writer's added final newline included.</summary>
    public static byte[] ExpectedWire(byte[] message) =>
        TestCorpus.ToWire(message.Length > 0 && message[^1] != (byte)'\n' ? [.. message, (byte)'\n'] : message);

    [GeneratedRegex("^(>*From )", RegexOptions.Multiline)]
    private static partial Regex FromLine();
}
