using System.Collections.Concurrent;

namespace PopGate.Stores.Imap;

/// <summary>
/// Which messages of a folder lack a final line end, remembered for the life of the process. IMAP messages never
/// change and new ones always get higher UIDs (within one UIDVALIDITY), so "every UID up to N was checked, and
/// these few lack it" is the whole state: later sessions only read the tails of messages that arrived since.
/// </summary>
internal static class FinalNewlineCache
{
    private const int MaxFolders = 100_000;

    private static readonly ConcurrentDictionary<string, Entry> Folders = new(StringComparer.Ordinal);

    /// <summary>The key of one folder incarnation: a new UIDVALIDITY starts afresh.</summary>
    public static string Key(ImapStoreOptions options, string user, string folder, uint uidValidity) =>
        $"{options.Host}:{options.Port}:{user}:{folder}:{uidValidity}";

    /// <summary>True when the message was checked before; <paramref name="lacking"/> tells the answer.</summary>
    public static bool TryGet(string key, uint uid, out bool lacking)
    {
        lacking = false;
        if (!Folders.TryGetValue(key, out var entry))
        {
            return false;
        }

        lock (entry)
        {
            if (uid > entry.Highest)
            {
                return false;
            }

            lacking = entry.Lacking.Contains(uid);
            return true;
        }
    }

    /// <summary>Records a check of every message up to <paramref name="highest"/>, of which <paramref name="lacking"/> lack it.</summary>
    public static void Record(string key, uint highest, IEnumerable<uint> lacking)
    {
        if (Folders.Count >= MaxFolders)
        {
            Folders.Clear();
        }

        var entry = Folders.GetOrAdd(key, _ => new Entry());
        lock (entry)
        {
            entry.Highest = Math.Max(entry.Highest, highest);
            entry.Lacking.UnionWith(lacking);
        }
    }

    private sealed class Entry
    {
        public uint Highest { get; set; }

        public HashSet<uint> Lacking { get; } = [];
    }
}
