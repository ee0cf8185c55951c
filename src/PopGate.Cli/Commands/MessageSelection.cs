using System.Globalization;
using PopGate.Client;

namespace PopGate.Cli.Commands;

/// <summary>A message on the server: its number in this session, its size, and its UIDL when the server has UIDL.</summary>
internal sealed record ListedMessage(int Number, long Size, string? Uid);

/// <summary>Lists the maildrop and picks messages by number or UIDL, as get and rm take them.</summary>
internal static class MessageSelection
{
    /// <summary>LIST and UIDL, sent together; a server without UIDL gives messages without ids.</summary>
    public static async Task<IReadOnlyList<ListedMessage>> ListAsync(Pop3Client client, CancellationToken cancellationToken)
    {
        var sizes = client.ListAsync(cancellationToken);
        var uids = client.Capabilities.Uidl || !client.Capabilities.Known ? client.UidlAsync(cancellationToken) : null;
        var list = await sizes.ConfigureAwait(false);
        Dictionary<int, string>? byNumber = null;
        if (uids is not null)
        {
            try
            {
                byNumber = (await uids.ConfigureAwait(false)).ToDictionary(u => u.Number, u => u.Uid);
            }
            catch (Pop3CommandException)
            {
                // The server has no UIDL after all: numbers still work.
            }
        }

        return list.Select(m => new ListedMessage(m.Number, m.Size, byNumber?.GetValueOrDefault(m.Number))).ToList();
    }

    /// <summary>
    /// Resolves each selector: digits are a message number (unless <paramref name="byUid"/>), anything else a UIDL.
    /// All must exist, or nothing is selected and the error names the missing ones.
    /// </summary>
    public static IReadOnlyList<ListedMessage> Select(IReadOnlyList<ListedMessage> listing, IEnumerable<string> selectors, bool byUid)
    {
        var picked = new List<ListedMessage>();
        var missing = new List<string>();
        foreach (var selector in selectors)
        {
            var isNumber = !byUid && selector.Length > 0 && selector.All(char.IsAsciiDigit);
            ListedMessage? match = isNumber
                ? int.TryParse(selector, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? listing.FirstOrDefault(m => m.Number == n) : null
                : listing.FirstOrDefault(m => string.Equals(m.Uid, selector, StringComparison.Ordinal));
            if (match is null)
            {
                missing.Add(selector);
            }
            else if (!picked.Contains(match))
            {
                picked.Add(match);
            }
        }

        if (missing.Count > 0)
        {
            var uidNote = !AnyUid(listing) && missing.Any(s => byUid || !s.All(char.IsAsciiDigit)) ? " (the server gave no UIDLs)" : string.Empty;
            throw new SelectionException($"no such message on the server: {string.Join(", ", missing.Select(Terminal.Clean))}{uidNote}");
        }

        return picked;

        static bool AnyUid(IReadOnlyList<ListedMessage> all) => all.Any(m => m.Uid is not null);
    }
}

/// <summary>A selected message does not exist; exit status 1.</summary>
internal sealed class SelectionException(string message) : Exception(message);
