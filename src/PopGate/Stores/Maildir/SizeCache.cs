using System.Globalization;
using System.Text;

namespace PopGate.Stores.Maildir;

/// <summary>
/// Wire sizes of a Maildir's messages, kept in a small file beside new/ and cur/. A Maildir file never changes
/// once delivered, so the base name and the file length are enough to know an entry is still right.
/// </summary>
internal sealed class SizeCache
{
    private readonly Dictionary<string, (long Length, long WireSize)> _entries;

    private SizeCache(Dictionary<string, (long, long)> entries) => _entries = entries;

    public static SizeCache Load(string root)
    {
        var entries = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        var path = Path.Combine(root, MaildirLayout.SizeCacheFileName);
        try
        {
            foreach (var line in File.ReadLines(path, Encoding.UTF8))
            {
                var parts = line.Split('\t');
                if (parts.Length == 3
                    && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var length)
                    && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var wire))
                {
                    entries[parts[0]] = (length, wire);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No cache, or an unreadable one: sizes are measured again.
        }

        return new SizeCache(entries);
    }

    public bool TryGet(string baseName, long length, out long wireSize)
    {
        if (_entries.TryGetValue(baseName, out var entry) && entry.Length == length)
        {
            wireSize = entry.WireSize;
            return true;
        }

        wireSize = 0;
        return false;
    }

    public void Set(string baseName, long length, long wireSize) => _entries[baseName] = (length, wireSize);

    /// <summary>Forgets messages that are gone; true when something was forgotten.</summary>
    public bool Retain(ICollection<string> present)
    {
        var gone = _entries.Keys.Where(k => !present.Contains(k)).ToList();
        foreach (var key in gone)
        {
            _entries.Remove(key);
        }

        return gone.Count > 0;
    }

    /// <summary>Writes the cache atomically; a failure only costs a re-measure next time.</summary>
    public void TrySave(string root)
    {
        var path = Path.Combine(root, MaildirLayout.SizeCacheFileName);
        var temp = path + ".tmp";
        try
        {
            var builder = new StringBuilder(_entries.Count * 64);
            foreach (var (name, (length, wire)) in _entries)
            {
                if (name.AsSpan().IndexOfAny('\t', '\n') >= 0)
                {
                    continue;
                }

                builder.Append(name).Append('\t')
                    .Append(length.ToString(CultureInfo.InvariantCulture)).Append('\t')
                    .Append(wire.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }

            File.WriteAllText(temp, builder.ToString(), new UTF8Encoding(false));
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
