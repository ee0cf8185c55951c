using System.IO.Enumeration;
using PopGate.Protocol;

namespace PopGate.Stores.Maildir;

/// <summary>Lists a Maildir's messages with their UIDLs and wire sizes, reading only files the size cache lacks.</summary>
internal static class MaildirScanner
{
    public static List<MaildirMessage> Scan(string root)
    {
        var files = new Dictionary<string, (string Name, bool InCur, long Length)>(StringComparer.Ordinal);
        foreach (var sub in (ReadOnlySpan<string>)["new", "cur"])
        {
            var dir = Path.Combine(root, sub);
            if (!Directory.Exists(dir))
            {
                continue;
            }

            var inCur = sub == "cur";
            var entries = new FileSystemEnumerable<(string Name, long Length)>(
                dir,
                (ref FileSystemEntry e) => (e.FileName.ToString(), e.Length),
                new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0, IgnoreInaccessible = true })
            {
                ShouldIncludePredicate = (ref FileSystemEntry e) => !e.IsDirectory && !e.FileName.StartsWith('.'),
            };
            foreach (var (name, length) in entries)
            {
                // A message seen in both folders is being moved from new/ to cur/ right now: take cur/.
                files[MaildirLayout.BaseName(name)] = (name, inCur, length);
            }
        }

        var cache = SizeCache.Load(root);
        var changed = false;
        var messages = new List<MaildirMessage>(files.Count);
        foreach (var (baseName, (name, inCur, length)) in files)
        {
            if (!cache.TryGet(baseName, length, out var wireSize))
            {
                if (!TryMeasure(Path.Join(root, inCur ? "cur" : "new", name), out wireSize))
                {
                    continue;
                }

                cache.Set(baseName, length, wireSize);
                changed = true;
            }

            messages.Add(new MaildirMessage(baseName, name, inCur, length, new MessageEntry(UidHash.ToUid(baseName), wireSize)));
        }

        changed |= cache.Retain(files.Keys);
        if (changed)
        {
            cache.TrySave(root);
        }

        messages.Sort(static (a, b) => string.CompareOrdinal(a.BaseName, b.BaseName));
        return messages;
    }

    private static bool TryMeasure(string path, out long wireSize)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
            var size = new WireSize();
            var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
            try
            {
                int read;
                while ((read = file.Read(buffer)) > 0)
                {
                    size.Add(buffer.AsSpan(0, read));
                }
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }

            wireSize = size.Total;
            return true;
        }
        catch (FileNotFoundException)
        {
            // Removed by another program between listing and reading: not part of this snapshot.
            wireSize = 0;
            return false;
        }
    }
}
