using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace PopGate.Auth;

/// <summary>
/// The users of a users file (Dovecot passwd-file format), reloadable while running, with password verification
/// (cached) and the secrets APOP and SCRAM need. Safe to use from many sessions at once.
/// </summary>
public sealed class UserDatabase
{
    private readonly UserDatabaseOptions _options;
    private readonly VerificationCache _verified;
    private readonly byte[] _saltKey = RandomNumberGenerator.GetBytes(32);
    private readonly Lock _reloadLock = new();
    private volatile Snapshot _current;
    private FileStamp? _failedStamp;
    private long _hashComputations;

    private UserDatabase(string path, Snapshot snapshot, UserDatabaseOptions options)
    {
        Path = path;
        _current = snapshot;
        _options = options;
        _verified = new VerificationCache(options.VerificationCacheSize);
    }

    public string Path { get; }

    /// <summary>What is doubtful in the file now in use (cleartext passwords, loose permissions, ...).</summary>
    public IReadOnlyList<string> Warnings => _current.Warnings;

    public int Count => _current.File.Users.Count;

    public IEnumerable<PasswdEntry> Entries => _current.File.Users.Values;

    /// <summary>Why the last changed file could not be used, or null once a good file is in use.</summary>
    public PasswdFileException? LastReloadError { get; private set; }

    /// <summary>How many password hashes were computed (cache misses); for tests and metrics.</summary>
    internal long HashComputations => Interlocked.Read(ref _hashComputations);

    /// <summary>Reads a users file, or throws <see cref="PasswdFileException"/> saying where and why it is unusable.</summary>
    public static UserDatabase Load(string path, UserDatabaseOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new UserDatabaseOptions();
        return new UserDatabase(path, Read(path, options), options);
    }

    public bool TryGet(string user, [MaybeNullWhen(false)] out PasswdEntry entry) =>
        _current.File.Users.TryGetValue(user, out entry);

    /// <summary>
    /// Reads the file again when its modification time or size changed. A broken file leaves the previous users in
    /// effect and is reported once (<see cref="UsersFileReload.Failed"/>, <see cref="LastReloadError"/>).
    /// </summary>
    public UsersFileReload ReloadIfChanged()
    {
        var stamp = FileStamp.Of(Path);
        lock (_reloadLock)
        {
            if (stamp == _current.Stamp || stamp == _failedStamp)
            {
                return UsersFileReload.Unchanged;
            }

            try
            {
                _current = Read(Path, _options);
            }
            catch (PasswdFileException e)
            {
                LastReloadError = e;
                _failedStamp = stamp;
                return UsersFileReload.Failed;
            }

            LastReloadError = null;
            _failedStamp = null;
            _verified.Clear();
            return UsersFileReload.Reloaded;
        }
    }

    /// <summary>Whether <paramref name="password"/> is the entry's password. The comparison takes constant time.</summary>
    public bool VerifyPassword(PasswdEntry entry, string password)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(password);
        var scheme = entry.Scheme.Length == 0 ? null : PasswordSchemes.Find(entry.Scheme);
        if (scheme is null)
        {
            return false;
        }

        var stored = entry.Scheme + "}" + entry.Hash;
        var bytes = Encoding.UTF8.GetBytes(password);
        try
        {
            if (_verified.Contains(entry.User, bytes, stored))
            {
                return true;
            }

            Interlocked.Increment(ref _hashComputations);
            if (!scheme.Verify(entry.Hash, bytes))
            {
                return false;
            }

            _verified.Add(entry.User, bytes, stored);
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>The password itself, for APOP and CRAM-MD5; only {PLAIN}/{CLEAR}/{CLEARTEXT} entries have one.</summary>
    public string? GetClearPassword(PasswdEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!PasswordSchemes.IsClearText(entry.Scheme))
        {
            return null;
        }

        var bytes = PasswordSchemes.Find(entry.Scheme)?.ClearPassword(entry.Hash);
        if (bytes is null)
        {
            return null;
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>
    /// SCRAM-SHA-256 keys for the entry: from a {PBKDF2-SHA256} entry with a 32-byte key, a {SCRAM-SHA-256} entry, or a
    /// cleartext entry (derived with a salt fixed for this process); null for other schemes.
    /// </summary>
    public ScramCredentials? GetScramSha256(PasswdEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        switch (entry.Scheme)
        {
            case "PBKDF2-SHA256":
                return Pbkdf2Sha256Scheme.TryParse(entry.Hash, out var pbkdf2, out _) && pbkdf2.Key.Length == ScramCredentials.KeyBytes
                    ? ScramCredentials.FromSaltedPassword(pbkdf2.Key, pbkdf2.Salt, pbkdf2.Iterations)
                    : null;
            case "SCRAM-SHA-256":
                return ScramSha256Scheme.TryParse(entry.Hash, out var scram, out _) ? scram : null;
        }

        if (!PasswordSchemes.IsClearText(entry.Scheme))
        {
            return null;
        }

        var snapshot = _current;
        if (snapshot.DerivedScram.TryGetValue(entry.User, out var known) && ReferenceEquals(known.Entry, entry))
        {
            return known.Credentials;
        }

        var clear = PasswordSchemes.Find(entry.Scheme)?.ClearPassword(entry.Hash);
        if (clear is null)
        {
            return null;
        }

        var salt = HMACSHA256.HashData(_saltKey, Encoding.UTF8.GetBytes("scram-salt\0" + entry.User))[..PasswordHasher.SaltBytes];
        var credentials = ScramCredentials.FromPassword(clear, salt, _options.ScramIterations);
        CryptographicOperations.ZeroMemory(clear);
        snapshot.DerivedScram[entry.User] = (entry, credentials);
        return credentials;
    }

    /// <summary>
    /// Adds <paramref name="user"/> or replaces its password with a fresh {PBKDF2-SHA256} hash, keeping every other
    /// line and the user's other fields. The file is replaced atomically; a new file is created with mode 0600.
    /// </summary>
    public static Task SetPasswordAsync(string path, string user, string password, CancellationToken ct) =>
        PasswdFileWriter.SetPasswordAsync(path, user, PasswordHasher.HashPbkdf2(password), ct);

    private static Snapshot Read(string path, UserDatabaseOptions options)
    {
        var stamp = FileStamp.Of(path);
        byte[] content;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
            if (stream.Length > options.MaxFileBytes)
            {
                throw new PasswdFileException(path, 0, $"larger than {options.MaxFileBytes} bytes");
            }

            content = new byte[stream.Length];
            stream.ReadExactly(content);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PasswdFileException(path, $"cannot read it: {e.Message}", e);
        }

        var file = PasswdFileParser.Parse(content, path);
        var warnings = new List<string>(file.Warnings);
        if (!OperatingSystem.IsWindows() && file.Users.Count > 0
            && (File.GetUnixFileMode(path) & (UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
        {
            warnings.Insert(0, $"users file {path} can be read or written by every user; chmod 600 it");
        }

        return new Snapshot(file, warnings, stamp);
    }

    private sealed record Snapshot(PasswdFile File, IReadOnlyList<string> Warnings, FileStamp Stamp)
    {
        public ConcurrentDictionary<string, (PasswdEntry Entry, ScramCredentials Credentials)> DerivedScram { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>What tells a changed file; a missing file has a stamp of its own, so its absence is reported once.</summary>
    private sealed record FileStamp(DateTime Modified, long Length)
    {
        public static FileStamp Of(string path)
        {
            var info = new FileInfo(path);
            return info.Exists ? new FileStamp(info.LastWriteTimeUtc, info.Length) : new FileStamp(DateTime.MinValue, -1);
        }
    }
}
