namespace PopGate.Testing;

/// <summary>The copied corpus (see Corpus/MANIFEST.md), as found next to the test assembly.</summary>
public static class TestCorpus
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "Corpus");

    /// <summary>Every message file under Corpus/messages, sorted, without licence and read-me files.</summary>
    public static IReadOnlyList<string> MessageFiles() => Files("messages");

    /// <summary>Every file under a corpus folder, sorted by relative path, without licence and read-me files.</summary>
    public static IReadOnlyList<string> Files(string folder)
    {
        var dir = Path.Combine(Root, folder);
        return Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Where(f => !IsMetadata(Path.GetFileName(f)))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Corpus message files that are not empty (no server accepts an empty message).</summary>
    public static IReadOnlyList<string> NonEmptyMessageFiles() =>
        MessageFiles().Where(f => new FileInfo(f).Length > 0).ToList();

    private static bool IsMetadata(string name) =>
        name.StartsWith("COPYING", StringComparison.Ordinal)
        || name.StartsWith("README", StringComparison.Ordinal)
        || name.StartsWith("MANIFEST", StringComparison.Ordinal)
        || name.StartsWith('.');

    /// <summary>A message as a POP3 client receives it after unstuffing: LF made CRLF, final CRLF added.</summary>
    public static byte[] ToWire(ReadOnlySpan<byte> raw)
    {
        var output = new List<byte>(raw.Length + raw.Length / 20 + 2);
        var previous = (byte)0;
        foreach (var b in raw)
        {
            if (b == (byte)'\n' && previous != (byte)'\r')
            {
                output.Add((byte)'\r');
            }

            output.Add(b);
            previous = b;
        }

        if (raw.Length > 0 && previous != (byte)'\n')
        {
            output.Add((byte)'\r');
            output.Add((byte)'\n');
        }

        return output.ToArray();
    }
}
