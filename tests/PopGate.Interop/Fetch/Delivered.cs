using System.Security.Cryptography;
using System.Text;
using PopGate.Testing;

namespace PopGate.Interop.Fetch;

/// <summary>What `popgate fetch` left at its destination, read back independently of the code under test.</summary>
public static class Delivered
{
    /// <summary>A corpus message as it should arrive: as the server sends it (CRLF), then with CRLF made LF unless kept.</summary>
    public static byte[] Expected(byte[] raw, bool crlf) => crlf ? TestCorpus.ToWire(raw) : Lf(TestCorpus.ToWire(raw));

    public static byte[] Lf(byte[] crlf) => Server.DeliveredMail.ToLocal(crlf);

    /// <summary>Every message file in new/ and cur/, once no file is left in tmp/.</summary>
    public static List<byte[]> Maildir(string path)
    {
        var tmp = Path.Combine(path, "tmp");
        Assert.True(!Directory.Exists(tmp) || Directory.GetFiles(tmp).Length == 0, $"files left in {tmp}");
        return MaildirFiles(path);
    }

    /// <summary>Every message file in new/ and cur/, whatever tmp/ holds.</summary>
    public static List<byte[]> MaildirFiles(string path)
    {
        if (!Directory.Exists(path))
        {
            return [];
        }

        return new[] { "new", "cur" }
            .Select(sub => Path.Combine(path, sub))
            .Where(Directory.Exists)
            .SelectMany(Directory.GetFiles)
            .Select(File.ReadAllBytes)
            .ToList();
    }

    /// <summary>The messages of an mboxrd file: split at "From " lines, the empty separator line dropped, quoting undone.</summary>
    public static List<byte[]> Mbox(string path)
    {
        var messages = new List<byte[]>();
        if (!File.Exists(path))
        {
            return messages;
        }

        var data = File.ReadAllBytes(path);
        List<byte>? current = null;
        var start = 0;
        while (start < data.Length)
        {
            var end = Array.IndexOf(data, (byte)'\n', start);
            end = end < 0 ? data.Length : end + 1;
            var line = data.AsSpan(start, end - start);
            if (line.StartsWith("From "u8))
            {
                Close(current, messages);
                current = [];
            }
            else
            {
                Assert.NotNull(current);
                var quoted = 0;
                while (quoted < line.Length && line[quoted] == (byte)'>')
                {
                    quoted++;
                }

                var unquote = quoted > 0 && line[quoted..].StartsWith("From "u8);
                current.AddRange((unquote ? line[1..] : line).ToArray());
            }

            start = end;
        }

        Close(current, messages);
        return messages;
    }

    private static void Close(List<byte>? current, List<byte[]> messages)
    {
        if (current is null)
        {
            return;
        }

        // The separator: one empty line after each message.
        Assert.True(current.Count > 0 && current[^1] == (byte)'\n', "an mbox message does not end with the empty separator line");
        var trim = current.Count >= 2 && current[^2] == (byte)'\r' ? 2 : 1;
        messages.Add(current.Take(current.Count - trim).ToArray());
    }

    /// <summary>Asserts the two collections hold the same messages, each as often (order aside).</summary>
    public static void AssertSameMessages(IEnumerable<byte[]> expected, IEnumerable<byte[]> actual)
    {
        static List<string> Digests(IEnumerable<byte[]> messages) =>
            messages.Select(m => Convert.ToHexString(SHA256.HashData(m))).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(Digests(expected), Digests(actual));
    }

    public static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
