using System.Security.Cryptography;
using System.Text;

namespace PopGate.Auth;

/// <summary>{SHA256-CRYPT}, {SHA512-CRYPT}, and {CRYPT} or no prefix when the value is a $5$/$6$ crypt string.</summary>
internal sealed class ShaCryptScheme : IPasswordScheme
{
    public static readonly ShaCryptScheme Sha256 = new(5);
    public static readonly ShaCryptScheme Sha512 = new(6);
    public static readonly ShaCryptScheme Either = new(0);

    private readonly int _variant;

    private ShaCryptScheme(int variant) => _variant = variant;

    public string? Check(string hash)
    {
        if (!ShaCrypt.TryParseStored(hash, out var setting, out var error))
        {
            return _variant == 0 ? $"{error} (of crypt(3) formats only $5$ and $6$ are supported)" : error;
        }

        return _variant != 0 && setting.Variant != _variant
            ? $"a {(_variant == 5 ? "SHA256" : "SHA512")}-CRYPT hash starts with ${_variant}$"
            : null;
    }

    public bool Verify(string hash, ReadOnlySpan<byte> password)
    {
        if (Check(hash) is not null || !ShaCrypt.TryParseStored(hash, out var setting, out _))
        {
            return false;
        }

        var computed = ShaCrypt.Compute(password, setting);
        var computedHash = Encoding.ASCII.GetBytes(computed[(computed.LastIndexOf('$') + 1)..]);
        return CryptographicOperations.FixedTimeEquals(computedHash, Encoding.ASCII.GetBytes(setting.Hash!));
    }

    public byte[]? ClearPassword(string hash) => null;
}
