using System.Security.Cryptography;

namespace PopGate.Bench.Download;

/// <summary>What a Maildir held after a run, compared with what the tool should have written for each source message.</summary>
public sealed record DeliveryReport(int Expected, int Files, int Intact, int Missing, int Unknown, int Duplicates, long Bytes)
{
    public bool Ok => Files == Expected && Intact == Expected && Missing == 0 && Unknown == 0 && Duplicates == 0;

    public override string ToString() =>
        $"files {Files}/{Expected}, intact {Intact}, missing {Missing}, unknown {Unknown}, duplicates {Duplicates}: {(Ok ? "OK" : "FAIL")}";
}

/// <summary>
/// Byte-for-byte verification of a delivery: every file of new/ and cur/ must be exactly one expected message (line
/// ends made LF first, as local mail is stored), and every expected message must be there exactly once.
/// </summary>
public static class DeliveryCheck
{
    public static DeliveryReport Verify(string maildir, IReadOnlyList<byte[]> expected)
    {
        var wanted = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var message in expected)
        {
            var key = Hash(message);
            wanted[key] = wanted.GetValueOrDefault(key) + 1;
        }

        var files = 0;
        var intact = 0;
        var unknown = 0;
        var duplicates = 0;
        long bytes = 0;
        foreach (var sub in (ReadOnlySpan<string>)["new", "cur"])
        {
            var folder = Path.Combine(maildir, sub);
            if (!Directory.Exists(folder))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(folder))
            {
                var data = File.ReadAllBytes(file);
                files++;
                bytes += data.Length;
                var key = Hash(LineEnds.ToLf(data));
                if (!wanted.TryGetValue(key, out var left))
                {
                    unknown++;
                }
                else if (left == 0)
                {
                    duplicates++;
                }
                else
                {
                    wanted[key] = left - 1;
                    intact++;
                }
            }
        }

        return new DeliveryReport(expected.Count, files, intact, wanted.Values.Sum(), unknown, duplicates, bytes);
    }

    private static string Hash(byte[] data) => Convert.ToHexString(SHA256.HashData(data));
}
