using System.Collections.Concurrent;

namespace PopGate.Stores;

/// <summary>
/// The one-session-per-maildrop lock. A key held in this process is refused at once; with a lock file the lock
/// also holds across processes (flock through FileShare.None) and dies with the process, so a crash never
/// leaves a maildrop locked.
/// </summary>
public sealed class MaildropLock : IDisposable
{
    private static readonly ConcurrentDictionary<string, byte> Held = new(StringComparer.Ordinal);

    private readonly string _key;
    private FileStream? _file;
    private int _released;

    private MaildropLock(string key, FileStream? file)
    {
        _key = key;
        _file = file;
    }

    /// <summary>Takes the lock, or throws <see cref="MaildropException"/> with [IN-USE].</summary>
    /// <param name="key">What identifies the maildrop in this process (a path, or an upstream account).</param>
    /// <param name="lockFile">A file to lock for other processes, or null for a process-local lock.</param>
    public static MaildropLock Acquire(string key, string? lockFile)
    {
        if (!Held.TryAdd(key, 0))
        {
            throw MaildropException.InUse();
        }

        if (lockFile is null)
        {
            return new MaildropLock(key, null);
        }

        try
        {
            var file = new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            return new MaildropLock(key, file);
        }
        catch (IOException)
        {
            Held.TryRemove(key, out _);
            throw MaildropException.InUse();
        }
        catch (UnauthorizedAccessException e)
        {
            Held.TryRemove(key, out _);
            throw new MaildropException(Protocol.ResponseCodes.SysPerm, "cannot create the maildrop lock file", e);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 1)
        {
            return;
        }

        _file?.Dispose();
        _file = null;
        Held.TryRemove(_key, out _);
    }
}
