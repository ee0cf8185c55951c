using System.Globalization;
using System.Text;

namespace PopGate.Imap;

/// <summary>Writes UIDs as IMAP sequence sets ("1:3,7,9:12"), split so that no command line grows too long.</summary>
public static class UidSet
{
    /// <summary>The set of all given UIDs, sorted and merged into ranges, in pieces of at most
    /// <paramref name="maxLength"/> characters.</summary>
    public static IReadOnlyList<string> Format(IEnumerable<uint> uids, int maxLength = 4000)
    {
        var sorted = uids.Distinct().Order().ToList();
        var pieces = new List<string>();
        var text = new StringBuilder();
        var i = 0;
        while (i < sorted.Count)
        {
            var first = sorted[i];
            var last = first;
            while (i + 1 < sorted.Count && sorted[i + 1] == last + 1)
            {
                last = sorted[++i];
            }

            i++;
            var range = first == last
                ? first.ToString(CultureInfo.InvariantCulture)
                : string.Create(CultureInfo.InvariantCulture, $"{first}:{last}");
            if (text.Length > 0 && text.Length + 1 + range.Length > maxLength)
            {
                pieces.Add(text.ToString());
                text.Clear();
            }

            if (text.Length > 0)
            {
                text.Append(',');
            }

            text.Append(range);
        }

        if (text.Length > 0)
        {
            pieces.Add(text.ToString());
        }

        return pieces;
    }
}
