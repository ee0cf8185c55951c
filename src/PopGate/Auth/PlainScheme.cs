using System.Security.Cryptography;
using System.Text;

namespace PopGate.Auth;

/// <summary>{PLAIN}, {CLEAR}, {CLEARTEXT}: the password itself (needed by APOP and CRAM-MD5, and nothing else).</summary>
internal sealed class PlainScheme(StoredEncoding encoding) : IPasswordScheme
{
    public string? Check(string hash) =>
        ClearPassword(hash) is null ? $"the {(encoding == StoredEncoding.Hex ? "hex" : "base64")} password does not decode" : null;

    public bool Verify(string hash, ReadOnlySpan<byte> password)
    {
        var stored = ClearPassword(hash);
        if (stored is null)
        {
            return false;
        }

        // Comparing digests keeps the time independent of where, and whether in length, the two differ.
        Span<byte> a = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> b = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(stored, a);
        SHA256.HashData(password, b);
        CryptographicOperations.ZeroMemory(stored);
        return CryptographicOperations.FixedTimeEquals(a, b);
    }

    public byte[]? ClearPassword(string hash) => encoding == StoredEncoding.Default
        ? Encoding.UTF8.GetBytes(hash)
        : StoredBytes.TryDecode(hash, encoding);
}
