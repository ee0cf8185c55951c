using System.Security.Cryptography;
using System.Text;

namespace PopGate.Stores.Mbox;

/// <summary>
/// Gives mbox messages stable UIDLs. An mbox has no message ids of its own, so the UIDL is a digest of the "From "
/// line, the length and the first 64 KiB of the message: it stays the same while the message is unchanged, whatever
/// happens to the messages around it. Identical messages get "-2", "-3"... in file order.
/// </summary>
internal static class MboxUids
{
    private const int Sampled = 64 * 1024;

    public static async ValueTask AssignAsync(FileStream file, List<MboxMessage> messages, CancellationToken cancellationToken)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var buffer = new byte[Sampled + 1024];
        foreach (var message in messages)
        {
            var headLength = (int)Math.Min(message.ContentEnd - message.FromLineStart, buffer.Length);
            file.Position = message.FromLineStart;
            await file.ReadExactlyAsync(buffer.AsMemory(0, headLength), cancellationToken).ConfigureAwait(false);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            hash.AppendData(buffer.AsSpan(0, headLength));
            hash.AppendData(Encoding.ASCII.GetBytes($"|{message.ContentEnd - message.ContentStart}"));
            var uid = Convert.ToHexStringLower(hash.GetHashAndReset().AsSpan(0, 16));
            var count = seen[uid] = seen.GetValueOrDefault(uid) + 1;
            message.Uid = count == 1 ? uid : $"{uid}-{count}";
        }
    }
}
