namespace PopGate.Stores.Mbox;

/// <summary>
/// The classic "FILE.lock" of mail spools: created exclusively, removed when done, broken when older than a
/// stale age (its holder died). Where the folder is not writable the lock is skipped, as delivery agents do.
/// </summary>
internal sealed class DotLock : IDisposable
{
    private readonly string _path;

    private DotLock(string path) => _path = path;

    public static async ValueTask<DotLock?> AcquireAsync(string path, TimeSpan wait, TimeSpan staleAge, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            try
            {
                using (new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                }

                return new DotLock(path);
            }
            catch (UnauthorizedAccessException)
            {
                return null;
            }
            catch (IOException) when (File.Exists(path))
            {
                if (DateTime.UtcNow - File.GetLastWriteTimeUtc(path) > staleAge)
                {
                    File.Delete(path);
                    continue;
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new IOException($"the mbox is locked by another program ({path})");
                }

                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public void Dispose()
    {
        try
        {
            File.Delete(_path);
        }
        catch (IOException)
        {
        }
    }
}
