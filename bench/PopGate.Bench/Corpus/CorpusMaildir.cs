using System.Runtime.InteropServices;

namespace PopGate.Bench.Corpus;

/// <summary>
/// The generated messages written once into a folder, then hard-linked into every Maildir the servers read: the
/// servers see the same bytes (and the same page cache), and thousands of maildrops cost no copying.
/// </summary>
public sealed class CorpusMaildir
{
    private readonly List<CorpusFile> _files;

    private CorpusMaildir(string folder, List<CorpusFile> files)
    {
        Folder = folder;
        _files = files;
    }

    /// <summary>Where the message files are.</summary>
    public string Folder { get; }

    public IReadOnlyList<CorpusFile> Files => _files;

    /// <summary>Sum of the messages' file sizes.</summary>
    public long Bytes => _files.Sum(f => f.Length);

    /// <summary>Sum of the messages' sizes on the wire (CRLF line ends, before dot-stuffing).</summary>
    public long WireBytes => _files.Sum(f => f.WireSize);

    public static Task<CorpusMaildir> WriteAsync(string folder, int count, int seed, CancellationToken cancellationToken) =>
        WriteAsync(folder, CorpusGenerator.Generate(count, seed), cancellationToken);

    /// <summary>Writes messages from any generator (each one's <see cref="CorpusMessage.FileName"/> must be unique).</summary>
    public static async Task<CorpusMaildir> WriteAsync(string folder, IEnumerable<CorpusMessage> messages, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var files = new List<CorpusFile>();
        foreach (var message in messages)
        {
            var path = Path.Combine(folder, message.FileName);
            await File.WriteAllBytesAsync(path, message.Bytes, cancellationToken).ConfigureAwait(false);
            files.Add(new CorpusFile(message.FileName, message.Bytes.Length, message.WireSize));
        }

        return new CorpusMaildir(folder, files);
    }

    /// <summary>Makes <paramref name="maildir"/> (tmp/, new/, cur/) with the first <paramref name="count"/> messages in new/.</summary>
    public void LinkInto(string maildir, int count)
    {
        foreach (var sub in (ReadOnlySpan<string>)["tmp", "new", "cur"])
        {
            Directory.CreateDirectory(Path.Combine(maildir, sub));
        }

        var target = Path.Combine(maildir, "new");
        foreach (var file in _files.Take(count))
        {
            var from = Path.Combine(Folder, file.Name);
            var to = Path.Combine(target, file.Name);
            if (NativeMethods.link(from, to) != 0)
            {
                throw new IOException($"cannot link {from} to {to}: errno {Marshal.GetLastPInvokeError()}");
            }
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
#pragma warning disable CA2101, SYSLIB1054 // The default marshalling of string on Unix is UTF-8, which link(2) wants.
        public static extern int link(string oldPath, string newPath);
#pragma warning restore CA2101, SYSLIB1054
    }
}

/// <summary>A corpus message file: its name, its size and its size on the wire.</summary>
public sealed record CorpusFile(string Name, long Length, long WireSize);
