using System.Security.Cryptography;

namespace PopGate.Interop.Server;

/// <summary>Compares what a downloader delivered (files with names of its choosing) with what it should have delivered.</summary>
internal static class DeliveredMail
{
    /// <summary>The files of a Maildir's new/ and cur/, or of a plain folder.</summary>
    public static List<byte[]> Read(string folder)
    {
        var dirs = Directory.Exists(Path.Combine(folder, "new")) ? new[] { Path.Combine(folder, "new"), Path.Combine(folder, "cur") } : [folder];
        return dirs.Where(Directory.Exists).SelectMany(Directory.GetFiles).Select(File.ReadAllBytes).ToList();
    }

    /// <summary>Both collections hold the same messages, byte for byte, each as often (order aside).</summary>
    public static void AssertSameMessages(IReadOnlyList<byte[]> expected, IReadOnlyList<byte[]> delivered, Func<int, string>? describe = null)
    {
        Assert.Equal(expected.Count, delivered.Count);
        var got = delivered.GroupBy(Hash).ToDictionary(g => g.Key, g => g.Count());
        for (var i = 0; i < expected.Count; i++)
        {
            var key = Hash(expected[i]);
            Assert.True(got.TryGetValue(key, out var n) && n > 0, $"not delivered exactly: {describe?.Invoke(i) ?? i.ToString()}");
            got[key] = n - 1;
        }
    }

    /// <summary>CRLF made LF: how downloaders store mail in local files.</summary>
    public static byte[] ToLocal(byte[] wire) => PopGate.Bench.Download.LineEnds.ToLf(wire);

    private static string Hash(byte[] data) => Convert.ToHexString(SHA256.HashData(data));
}
