using System.Globalization;
using System.Text;

namespace PopGate.Bench.Corpus;

/// <summary>
/// Deterministic short messages (about 1 to 4 KB: headers and a few lines of text), for measurements where the count
/// of messages matters and their size should not, such as a downloader's memory as the mailbox grows.
/// </summary>
public static class SmallCorpus
{
    private static readonly string[] Words = ["short", "note", "mail", "count", "small", "line", "reply", "list", "item", "today"];

    public static IEnumerable<CorpusMessage> Generate(int count, int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var text = new StringBuilder(4096)
                .Append(CultureInfo.InvariantCulture, $"Message-ID: <small.{i}.{seed}@bench.example>\n")
                .Append(CultureInfo.InvariantCulture, $"From: Sender {i % 97} <sender{i % 97}@example.org>\n")
                .Append("To: Bench User <bench@example.net>\n")
                .Append(CultureInfo.InvariantCulture, $"Subject: small message {i}\n")
                .Append(CultureInfo.InvariantCulture, $"X-Bench-Index: {i}\n\n");
            var target = random.Next(1000, 4000);
            while (text.Length < target)
            {
                for (var w = random.Next(6, 12); w > 0; w--)
                {
                    text.Append(Words[random.Next(Words.Length)]).Append(w > 1 ? ' ' : '\n');
                }
            }

            var bytes = Encoding.ASCII.GetBytes(text.ToString());
            yield return new CorpusMessage(i, bytes, bytes.Length + bytes.AsSpan().Count((byte)'\n'));
        }
    }
}
