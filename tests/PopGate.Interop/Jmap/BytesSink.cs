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

    public ValueTask<bool> WriteAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        _bytes.Write(chunk.Span);
        return ValueTask.FromResult(true);
    }
}
