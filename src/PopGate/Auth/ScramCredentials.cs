using System.Security.Cryptography;
using System.Text;

namespace PopGate.Auth;

/// <summary>What a SCRAM-SHA-256 server needs to know about a user (RFC 5802 §3): no password, only derived keys.</summary>
public sealed record ScramCredentials(byte[] Salt, int Iterations, byte[] StoredKey, byte[] ServerKey)
{
    public const int KeyBytes = 32;

    /// <summary>From SaltedPassword = PBKDF2-HMAC-SHA256(password, salt, iterations, 32 bytes).</summary>
    public static ScramCredentials FromSaltedPassword(ReadOnlySpan<byte> saltedPassword, byte[] salt, int iterations)
    {
        var clientKey = HMACSHA256.HashData(saltedPassword, "Client Key"u8);
        var storedKey = SHA256.HashData(clientKey);
        var serverKey = HMACSHA256.HashData(saltedPassword, "Server Key"u8);
        CryptographicOperations.ZeroMemory(clientKey);
        return new ScramCredentials(salt, iterations, storedKey, serverKey);
    }

    /// <summary>From the password itself (UTF-8; SASLprep is taken as the identity).</summary>
    public static ScramCredentials FromPassword(string password, byte[] salt, int iterations)
    {
        var bytes = Encoding.UTF8.GetBytes(password);
        try
        {
            return FromPassword(bytes, salt, iterations);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    internal static ScramCredentials FromPassword(ReadOnlySpan<byte> password, byte[] salt, int iterations)
    {
        Span<byte> salted = stackalloc byte[KeyBytes];
        Rfc2898DeriveBytes.Pbkdf2(password, salt, salted, iterations, HashAlgorithmName.SHA256);
        var credentials = FromSaltedPassword(salted, salt, iterations);
        CryptographicOperations.ZeroMemory(salted);
        return credentials;
    }

    /// <summary>Never prints the keys.</summary>
    public override string ToString() => $"SCRAM-SHA-256 credentials ({Iterations} iterations)";
}
