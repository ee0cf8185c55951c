using System.Globalization;
using System.Security.Cryptography;

namespace PopGate.Auth;

/// <summary>Dovecot's {SCRAM-SHA-256}: "iterations,salt,StoredKey,ServerKey" with the binary parts in base64.</summary>
internal sealed class ScramSha256Scheme : IPasswordScheme
{
    public static readonly ScramSha256Scheme Instance = new();

    public string? Check(string hash) => TryParse(hash, out _, out var error) ? null : error;

    public bool Verify(string hash, ReadOnlySpan<byte> password)
    {
        if (!TryParse(hash, out var stored, out _))
        {
            return false;
        }

        var computed = ScramCredentials.FromPassword(password, stored.Salt, stored.Iterations);
        return CryptographicOperations.FixedTimeEquals(computed.StoredKey, stored.StoredKey);
    }

    public byte[]? ClearPassword(string hash) => null;

    public static bool TryParse(string hash, out ScramCredentials credentials, out string? error)
    {
        credentials = null!;
        var parts = hash.Split(',');
        if (parts.Length != 4)
        {
            error = "a SCRAM-SHA-256 value must look like <iterations>,<salt>,<StoredKey>,<ServerKey>";
            return false;
        }

        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations)
            || iterations < 1 || iterations > Pbkdf2Sha256Scheme.MaxIterations)
        {
            error = $"SCRAM-SHA-256 iteration count '{parts[0]}' is out of range";
            return false;
        }

        var salt = StoredBytes.TryDecodeBase64(parts[1]);
        var storedKey = StoredBytes.TryDecodeBase64(parts[2]);
        var serverKey = StoredBytes.TryDecodeBase64(parts[3]);
        if (salt is null || storedKey?.Length != ScramCredentials.KeyBytes || serverKey?.Length != ScramCredentials.KeyBytes)
        {
            error = "SCRAM-SHA-256 salt and keys must be base64, the keys 32 bytes each";
            return false;
        }

        credentials = new ScramCredentials(salt, iterations, storedKey, serverKey);
        error = null;
        return true;
    }
}
