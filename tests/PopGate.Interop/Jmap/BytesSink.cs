using System.Security.Cryptography;
using PopGate.Stores;

namespace PopGate.Interop.Jmap;

/// <summary>Hashes and keeps what a maildrop writes.</summary>
internal sealed class BytesSink : IMessageSink
{
    private readonly MemoryStream _bytes = new();

    public long Length => _bytes.Length;

    public byte[] Bytes => _bytes.ToArray();

    public string Sha256() => Convert.ToHexStringLower(SHA256.HashData(_bytes.ToArray()));

    /// <summary>The SHA-256 of every message of a maildrop as RETR sends it, each checked against its LIST size.</summary>
    public static async Task<List<string>> HashEveryMessageAsync(IMaildrop maildrop)
    {
        var hashes = new List<string>();
        for (var i = 0; i < maildrop.Messages.Count; i++)
        {
            var sink = new BytesSink();
            await maildrop.WriteMessageAsync(i, sink, null, CancellationToken.None);
            Xunit.Assert.Equal(maildrop.Messages[i].Size, sink.Length);
            hashes.Add(sink.Sha256());
        }

        return hashes;
    }

    public ValueTask<bool> WriteAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        _bytes.Write(chunk.Span);
        return ValueTask.FromResult(true);
    }
}
