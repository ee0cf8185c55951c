using System.Globalization;
using System.Security.Cryptography;

namespace PopGate.Auth;

/// <summary>
/// {PBKDF2-SHA256}$iterations$salt$key (salt and key in base64): PBKDF2-HMAC-SHA256. A 32-byte key is exactly SCRAM-SHA-256's
/// SaltedPassword, so these entries also serve SCRAM without the password.
/// </summary>
internal sealed class Pbkdf2Sha256Scheme : IPasswordScheme
{
    public const int MinKeyBytes = 16;
    public const int MaxKeyBytes = 64;
    public const int MaxIterations = 50_000_000;

    public static readonly Pbkdf2Sha256Scheme Instance = new();

    public string? Check(string hash) => TryParse(hash, out _, out var error) ? null : error;

    public bool Verify(string hash, ReadOnlySpan<byte> password)
    {
        if (!TryParse(hash, out var parsed, out _))
        {
            return false;
        }

        var derived = Rfc2898DeriveBytes.Pbkdf2(password, parsed.Salt, parsed.Iterations, HashAlgorithmName.SHA256, parsed.Key.Length);
        var equal = CryptographicOperations.FixedTimeEquals(derived, parsed.Key);
        CryptographicOperations.ZeroMemory(derived);
        return equal;
    }

    public byte[]? ClearPassword(string hash) => null;

    public static string Format(int iterations, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> key) =>
        string.Create(CultureInfo.InvariantCulture, $"${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(key)}");

    public static bool TryParse(string hash, out Pbkdf2Hash parsed, out string? error)
    {
        parsed = default;
        var parts = hash.Split('$');
        if (parts.Length != 4 || parts[0].Length != 0)
        {
            error = "a PBKDF2-SHA256 hash must look like $<iterations>$<salt base64>$<key base64>";
            return false;
        }

        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations)
            || iterations < 1 || iterations > MaxIterations)
        {
            error = $"PBKDF2-SHA256 iteration count '{parts[1]}' is not a number from 1 to {MaxIterations}";
            return false;
        }

        var salt = StoredBytes.TryDecodeBase64(parts[2]);
        if (salt is null)
        {
            error = "PBKDF2-SHA256 salt is not valid base64";
            return false;
        }

        var key = StoredBytes.TryDecodeBase64(parts[3]);
        if (key is null || key.Length < MinKeyBytes || key.Length > MaxKeyBytes)
        {
            error = $"PBKDF2-SHA256 key is not base64 of {MinKeyBytes} to {MaxKeyBytes} bytes";
            return false;
        }

        parsed = new Pbkdf2Hash(iterations, salt, key);
        error = null;
        return true;
    }
}

/// <summary>The parts of a {PBKDF2-SHA256} value.</summary>
internal readonly record struct Pbkdf2Hash(int Iterations, byte[] Salt, byte[] Key);
