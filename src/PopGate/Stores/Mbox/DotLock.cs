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
                using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    // The holder's pid, so a lock left by a killed process is broken at once rather than after staleAge.
                    file.Write(System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n"));
                }

                return new DotLock(path);
            }
            catch (UnauthorizedAccessException)
            {
                return null;
            }
            catch (IOException) when (File.Exists(path))
            {
                if (DateTime.UtcNow - File.GetLastWriteTimeUtc(path) > staleAge || HolderIsGone(path))
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

    /// <summary>True when the lock names a process id (as ours do) and no such process runs here.</summary>
    private static bool HolderIsGone(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path).Trim();
        }
        catch (IOException)
        {
            return false;
        }

        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid) || pid <= 0)
        {
            return false;
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
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
