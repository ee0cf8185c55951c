using PopGate.IO;

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
        RemoveLeftovers(path);
        while (true)
        {
            try
            {
                Create(path);
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

    /// <summary>
    /// Writes the holder's pid to a file of our own, then moves it into place without overwriting (a hard link on
    /// Linux), so the lock never exists without the pid in it: a process killed at any moment leaves either no lock
    /// or one that names it, which the next taker breaks at once instead of waiting for the stale age.
    /// </summary>
    private static void Create(string path)
    {
        var temp = $"{path}.{Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)}.{Guid.NewGuid():N}";
        try
        {
            File.WriteAllText(temp, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n");
            File.Move(temp, path, overwrite: false);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>
    /// Removes the files of <see cref="Create"/> that a process killed between writing and moving them left behind
    /// ("NAME.lock.PID.GUID" of a process that no longer runs), so a spool folder does not collect them.
    /// </summary>
    private static void RemoveLeftovers(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var prefix = Path.GetFileName(path) + ".";
        try
        {
            foreach (var file in Directory.EnumerateFiles(folder, prefix + "*"))
            {
                // The pattern also matches the lock itself ("NAME.lock" for "NAME.lock.*"), hence the length check.
                var name = Path.GetFileName(file);
                if (name.Length <= prefix.Length)
                {
                    continue;
                }

                var rest = name[prefix.Length..].Split('.');
                if (rest.Length == 2 && rest[1].Length == 32 && int.TryParse(rest[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid) && !LocalProcess.IsRunning(pid))
                {
                    File.Delete(file);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Leftovers are untidy, not harmful: taking the lock does not depend on removing them.
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

        return !LocalProcess.IsRunning(pid);
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
