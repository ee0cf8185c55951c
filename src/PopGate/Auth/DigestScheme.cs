using System.Security.Cryptography;

namespace PopGate.Auth;

/// <summary>
/// Dovecot's {SHA256} (the digest alone) and {SSHA256}/{SSHA512} (digest of password+salt, then the salt), base64 by
/// default, hex with ".HEX" or when the value is exactly the digest in hex.
/// </summary>
internal sealed class DigestScheme(HashAlgorithmName algorithm, bool salted, StoredEncoding encoding) : IPasswordScheme
{
    private int Size => algorithm == HashAlgorithmName.SHA512 ? SHA512.HashSizeInBytes : SHA256.HashSizeInBytes;

    public string? Check(string hash)
    {
        var bytes = StoredBytes.TryDecode(hash, encoding, Size * 2);
        if (bytes is null)
        {
            return $"the {(salted ? "salted " : string.Empty)}digest does not decode as {(encoding == StoredEncoding.Hex ? "hex" : "base64")}";
        }

        if (salted ? bytes.Length <= Size : bytes.Length != Size)
        {
            return salted
                ? $"a salted {algorithm.Name} value must hold the {Size}-byte digest and a salt"
                : $"a {algorithm.Name} value must hold exactly {Size} bytes";
        }

        return null;
    }

    public bool Verify(string hash, ReadOnlySpan<byte> password)
    {
        if (Check(hash) is not null)
        {
            return false;
        }

        var bytes = StoredBytes.TryDecode(hash, encoding, Size * 2)!;
        var stored = bytes.AsSpan(0, Size);
        var salt = bytes.AsSpan(Size);
        using var h = IncrementalHash.CreateHash(algorithm);
        h.AppendData(password);
        h.AppendData(salt);
        Span<byte> computed = stackalloc byte[Size];
        h.GetHashAndReset(computed);
        return CryptographicOperations.FixedTimeEquals(computed, stored);
    }

    public byte[]? ClearPassword(string hash) => null;
}
