using System.Collections.Concurrent;

namespace PopGate.Stores.Maildir;

/// <summary>A Maildir's messages as listed at one moment; shared read-only by the sessions that use it.</summary>
internal sealed class MaildirListing
{
    public MaildirListing(List<MaildirMessage> files)
    {
        Files = files;
        Entries = files.ConvertAll(f => f.Entry);
    }

    public IReadOnlyList<MaildirMessage> Files { get; }

    public IReadOnlyList<MessageEntry> Entries { get; }
}

/// <summary>
/// Maildir listings kept between logins. Listing a Maildir costs a stat of every message file, which made a login
/// to a 1,000-message maildrop cost milliseconds. Message files never change once delivered, and every delivery,
/// move or deletion changes the modification time of new/ or cur/, so a listing stays right while both folders keep
/// the times they had when it was read. A change within the same clock tick as the one before it would leave the
/// time as it was, so only a listing read well after the folders' last change is kept.
/// </summary>
internal static class MaildirListingCache
{
    /// <summary>How old the folders' last change must be, by this machine's clock, for a listing to be kept.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    /// <summary>Messages kept over all listings; past it the cache starts again empty (a refill costs one listing per maildrop).</summary>
    private const int MaxMessages = 200_000;

    private static readonly ConcurrentDictionary<string, (FolderTimes Times, MaildirListing Listing)> Listings = new(StringComparer.Ordinal);
    private static int _messages;

    /// <summary>Whether a listing of the Maildir is kept now (for tests).</summary>
    internal static bool Holds(string root) => Listings.ContainsKey(root);

    public static MaildirListing Get(string root)
    {
        var times = FolderTimes.Of(root);
        if (Listings.TryGetValue(root, out var kept) && kept.Times == times)
        {
            return kept.Listing;
        }

        var started = DateTime.UtcNow;
        var listing = new MaildirListing(MaildirScanner.Scan(root));
        if (started - times.Latest >= Settle && FolderTimes.Of(root) == times)
        {
            Keep(root, times, listing);
        }
        else if (Listings.TryRemove(root, out var stale))
        {
            Interlocked.Add(ref _messages, -stale.Listing.Files.Count);
        }

        return listing;
    }

    private static void Keep(string root, FolderTimes times, MaildirListing listing)
    {
        if (Interlocked.Add(ref _messages, listing.Files.Count) > MaxMessages)
        {
            Listings.Clear();
            Interlocked.Exchange(ref _messages, listing.Files.Count);
        }

        Listings.AddOrUpdate(
            root,
            (times, listing),
            (_, old) =>
            {
                Interlocked.Add(ref _messages, -old.Listing.Files.Count);
                return (times, listing);
            });
    }

    /// <summary>The modification times of new/ and cur/ (a missing folder has a fixed time of its own).</summary>
    private readonly record struct FolderTimes(DateTime New, DateTime Cur)
    {
        public DateTime Latest => New > Cur ? New : Cur;

        public static FolderTimes Of(string root) =>
            new(Directory.GetLastWriteTimeUtc(Path.Combine(root, "new")), Directory.GetLastWriteTimeUtc(Path.Combine(root, "cur")));
    }
}
