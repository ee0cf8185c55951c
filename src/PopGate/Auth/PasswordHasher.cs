using System.Security.Cryptography;
using System.Text;

namespace PopGate.Auth;

/// <summary>Makes new password fields ({PBKDF2-SHA256}) and verifies any supported one, without caching.</summary>
public static class PasswordHasher
{
    public const string DefaultScheme = "PBKDF2-SHA256";
    public const int DefaultIterations = 100_000;
    public const int SaltBytes = 16;
    public const int KeyBytes = 32;

    /// <summary>"{PBKDF2-SHA256}$100000$salt$key" with a fresh random salt.</summary>
    public static string HashPbkdf2(string password) => HashPbkdf2(password, DefaultIterations);

    public static string HashPbkdf2(string password, int iterations)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(iterations, Pbkdf2Sha256Scheme.MaxIterations);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var bytes = Encoding.UTF8.GetBytes(password);
        Span<byte> key = stackalloc byte[KeyBytes];
        Rfc2898DeriveBytes.Pbkdf2(bytes, salt, key, iterations, HashAlgorithmName.SHA256);
        CryptographicOperations.ZeroMemory(bytes);
        var field = "{" + DefaultScheme + "}" + Pbkdf2Sha256Scheme.Format(iterations, salt, key);
        CryptographicOperations.ZeroMemory(key);
        return field;
    }

    /// <summary>Whether <paramref name="password"/> matches a stored field like "{SSHA512}..." or "$6$...".</summary>
    public static bool Verify(string storedPassword, string password)
    {
        ArgumentNullException.ThrowIfNull(storedPassword);
        ArgumentNullException.ThrowIfNull(password);
        return PasswordSchemes.TrySplit(storedPassword, out var scheme, out var hash, out _) && Verify(scheme, hash, password);
    }

    /// <summary>Null when a stored field is usable, otherwise why not.</summary>
    public static string? Check(string storedPassword)
    {
        if (!PasswordSchemes.TrySplit(storedPassword, out var scheme, out var hash, out var error))
        {
            return error;
        }

        var found = PasswordSchemes.Find(scheme);
        return found is null ? UnknownScheme(scheme) : found.Check(hash);
    }

    internal static string UnknownScheme(string scheme) =>
        $"unknown password scheme {{{scheme}}}; supported: {PasswordSchemes.Supported}";

    internal static bool Verify(string scheme, string hash, string password)
    {
        var found = PasswordSchemes.Find(scheme);
        if (found is null)
        {
            return false;
        }

        var bytes = Encoding.UTF8.GetBytes(password);
        try
        {
            return found.Verify(hash, bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }
}
