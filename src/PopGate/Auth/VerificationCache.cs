using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace PopGate.Auth;

/// <summary>
/// Remembers successful verifications so a slow hash is paid once per user and password. Entries are keyed by
/// HMAC-SHA256(random process key, user \0 password): neither the password nor a reusable hash of it is kept.
/// Each entry records the stored password it was checked against, so a changed entry is checked again.
/// </summary>
internal sealed class VerificationCache(int capacity)
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<Key, string> _entries = new();

    public int Count => _entries.Count;

    public bool Contains(string user, ReadOnlySpan<byte> password, string stored) =>
        Cacheable(user) && _entries.TryGetValue(KeyOf(user, password), out var known) && string.Equals(known, stored, StringComparison.Ordinal);

    public void Add(string user, ReadOnlySpan<byte> password, string stored)
    {
        if (!Cacheable(user))
        {
            return;
        }

        // Wholesale clearing keeps the bound without bookkeeping; a refill costs one hash per active user.
        if (_entries.Count >= capacity)
        {
            _entries.Clear();
        }

        _entries[KeyOf(user, password)] = stored;
    }

    public void Clear() => _entries.Clear();

    // The NUL separator is unambiguous only for names without NUL (users files cannot hold one anyway).
    private bool Cacheable(string user) => capacity > 0 && !user.Contains('\0', StringComparison.Ordinal);

    private Key KeyOf(string user, ReadOnlySpan<byte> password)
    {
        var userBytes = Encoding.UTF8.GetByteCount(user);
        var length = userBytes + 1 + password.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            Encoding.UTF8.GetBytes(user, buffer);
            buffer[userBytes] = 0;
            password.CopyTo(buffer.AsSpan(userBytes + 1));
            Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
            HMACSHA256.HashData(_key, buffer.AsSpan(0, length), mac);
            return MemoryMarshal.Read<Key>(mac);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer.AsSpan(0, length));
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct Key(ulong A, ulong B, ulong C, ulong D);
}
