using System.Security.Cryptography;
using System.Text;
using PopGate.Protocol;

namespace PopGate.Stores;

/// <summary>Turns any identifier into a valid, stable UIDL: itself when it fits the POP3 rules, else a hash of it.</summary>
public static class UidHash
{
    /// <summary>The identifier, or "h" + 40 hex digits of its SHA-256 when it is too long or has bytes POP3 forbids.</summary>
    public static string ToUid(string id)
    {
        if (Pop3Limits.IsValidUid(id))
        {
            return id;
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(id), hash);
        return "h" + Convert.ToHexStringLower(hash[..20]);
    }
}
