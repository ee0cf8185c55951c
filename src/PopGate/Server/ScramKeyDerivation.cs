using System.Security.Cryptography;
using System.Text;

namespace PopGate.Server;

/// <summary>RFC 5802 §3 key derivation for SCRAM-SHA-256: from a password, or from PBKDF2's output, which is SaltedPassword.</summary>
public static class ScramKeyDerivation
{
    public static ScramKeys FromPassword(string password, byte[] salt, int iterations) =>
        FromSaltedPassword(Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, 32), salt, iterations);

    public static ScramKeys FromSaltedPassword(byte[] saltedPassword, byte[] salt, int iterations)
    {
        var clientKey = HMACSHA256.HashData(saltedPassword, "Client Key"u8);
        var serverKey = HMACSHA256.HashData(saltedPassword, "Server Key"u8);
        return new ScramKeys(salt, iterations, SHA256.HashData(clientKey), serverKey);
    }
}
