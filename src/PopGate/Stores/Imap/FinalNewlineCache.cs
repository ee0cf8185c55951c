using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PopGate.IO;

namespace PopGate.Stores.Imap;

/// <summary>
/// Which messages of a folder lack a final line end. IMAP messages never change and new ones always get higher UIDs
/// (within one UIDVALIDITY), so "every UID up to N was checked, and these few lack it" is the whole state: later
/// sessions only read the tails of messages that arrived since. Kept for the life of the process and, with a state
/// directory, in one small file per folder, so that a restarted gateway does not check a large folder again.
/// </summary>
internal static class FinalNewlineCache
{
    private const int MaxFolders = 100_000;

    private static readonly ConcurrentDictionary<string, Entry> Folders = new(StringComparer.Ordinal);

    /// <summary>The key of one folder incarnation: a new UIDVALIDITY starts afresh.</summary>
    public static string Key(ImapStoreOptions options, string user, string folder, uint uidValidity) =>
        $"{options.Host}:{options.Port}:{user}:{folder}:{uidValidity}";

    /// <summary>Reads a folder's file from the state directory, unless the folder is known in memory already.</summary>
    public static void Load(string key, string? directory)
    {
        if (directory is null || Folders.ContainsKey(key) || !File.Exists(PathOf(key, directory)))
        {
            return;
        }

        try
        {
            var lines = File.ReadAllLines(PathOf(key, directory));
            // The first line repeats the key: a file of another folder with the same hash is ignored.
            if (lines.Length < 2 || lines[0] != key)
            {
                return;
            }

            var entry = new Entry { Highest = uint.Parse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture) };
            entry.Lacking.UnionWith(lines.Skip(2).Where(l => l.Length > 0).Select(l => uint.Parse(l, NumberStyles.None, CultureInfo.InvariantCulture)));
            Folders.TryAdd(key, entry);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            // A damaged or unreadable file only costs a fresh check.
        }
    }

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

    /// <summary>Records a check of every message up to <paramref name="highest"/>, of which <paramref name="lacking"/>
    /// lack it, and writes the folder's file when there is a state directory.</summary>
    public static void Record(string key, uint highest, IEnumerable<uint> lacking, string? directory = null)
    {
        if (Folders.Count >= MaxFolders)
        {
            Folders.Clear();
        }

        var entry = Folders.GetOrAdd(key, _ => new Entry());
        string text;
        lock (entry)
        {
            entry.Highest = Math.Max(entry.Highest, highest);
            entry.Lacking.UnionWith(lacking);
            text = new StringBuilder()
                .Append(key).Append('\n')
                .Append(entry.Highest.ToString(CultureInfo.InvariantCulture)).Append('\n')
                .AppendJoin('\n', entry.Lacking.Order())
                .ToString();
        }

        if (directory is not null)
        {
            Save(PathOf(key, directory), text);
        }
    }

    /// <summary>Forgets a folder in memory (its file stays), as a process start does; for tests.</summary>
    internal static void Forget(string key) => Folders.TryRemove(key, out _);

    private static void Save(string path, string text)
    {
        try
        {
            StateFile.Replace(path, file => file.Write(Encoding.UTF8.GetBytes(text)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The memory copy still serves this process; the next start checks again.
        }
    }

    internal static string PathOf(string key, string directory) =>
        Path.Combine(directory, "final-newline-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32]);

    private sealed class Entry
    {
        public uint Highest { get; set; }

        public HashSet<uint> Lacking { get; } = [];
    }
}
