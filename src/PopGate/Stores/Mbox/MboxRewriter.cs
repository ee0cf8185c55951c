using System.Diagnostics;
using PopGate.IO;
using PopGate.Protocol;

namespace PopGate.Stores.Mbox;

/// <summary>
/// Removes messages from an mbox the safe way: under the mail spool's locks (a dot-lock file and an fcntl lock, as
/// delivery agents take them), the kept messages and any mail appended since login are written to a temporary file
/// in the same folder, which is flushed to disk and renamed over the original. A crash at any point leaves either
/// the old file or the new one, never a mix.
/// </summary>
internal static class MboxRewriter
{
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan StaleDotLock = TimeSpan.FromMinutes(5);

    public static async ValueTask RemoveAsync(string path, long snapshotLength, List<MboxMessage> messages, HashSet<int> removed, CancellationToken cancellationToken)
    {
        var dotLock = await DotLock.AcquireAsync(path + ".lock", LockWait, StaleDotLock, cancellationToken).ConfigureAwait(false);
        try
        {
            var original = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 1, FileOptions.Asynchronous);
            await using (original.ConfigureAwait(false))
            {
                await LockRegionAsync(original, cancellationToken).ConfigureAwait(false);
                var length = original.Length;
                if (length < snapshotLength || !await StartsWithFromAsync(original, cancellationToken).ConfigureAwait(false))
                {
                    throw new MaildropException(ResponseCodes.SysTemp, "the mbox file was changed by another program; nothing was deleted");
                }

                var temp = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.popgate-{Environment.ProcessId}.tmp");
                try
                {
                    await WriteKeptAsync(original, temp, length, messages, removed, cancellationToken).ConfigureAwait(false);
                    CopyOwnership(path, temp);
                    File.Move(temp, path, overwrite: true);
                    DirectorySync.Flush(Path.GetDirectoryName(path)!);
                }
                catch
                {
                    TryDelete(temp);
                    throw;
                }
            }
        }
        catch (IOException e)
        {
            throw new MaildropException(ResponseCodes.SysTemp, "could not rewrite the mbox file; nothing was deleted", e);
        }
        finally
        {
            dotLock?.Dispose();
        }
    }

    private static async ValueTask WriteKeptAsync(FileStream original, string temp, long length, List<MboxMessage> messages, HashSet<int> removed, CancellationToken cancellationToken)
    {
        var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
        await using (output.ConfigureAwait(false))
        {
            for (var i = 0; i < messages.Count; i++)
            {
                if (!removed.Contains(i))
                {
                    await CopyRangeAsync(original, output, messages[i].FromLineStart, messages[i].RawEnd, cancellationToken).ConfigureAwait(false);
                }
            }

            // Mail delivered while the session was open.
            var snapshotEnd = messages.Count > 0 ? messages[^1].RawEnd : 0;
            await CopyRangeAsync(original, output, snapshotEnd, length, cancellationToken).ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            output.Flush(flushToDisk: true);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, File.GetUnixFileMode(original.Name));
        }
    }

    private static async ValueTask CopyRangeAsync(FileStream source, FileStream destination, long from, long to, CancellationToken cancellationToken)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            source.Position = from;
            var left = to - from;
            while (left > 0)
            {
                var n = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    throw new IOException("the mbox file ended early");
                }

                await destination.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                left -= n;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async ValueTask<bool> StartsWithFromAsync(FileStream file, CancellationToken cancellationToken)
    {
        if (file.Length == 0)
        {
            return true;
        }

        var head = new byte[5];
        file.Position = 0;
        var n = await file.ReadAtLeastAsync(head, 5, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        return n == 5 && head.AsSpan().SequenceEqual("From "u8);
    }

    /// <summary>An fcntl write lock on the whole file (what FileStream.Lock takes on Unix), retried while an MDA holds it.</summary>
    private static async ValueTask LockRegionAsync(FileStream file, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsMacOS())
        {
            return;
        }

        var deadline = Stopwatch.GetTimestamp() + (long)(LockWait.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            try
            {
                file.Lock(0, long.MaxValue);
                return;
            }
            catch (IOException) when (Stopwatch.GetTimestamp() < deadline)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
            catch (PlatformNotSupportedException)
            {
                return;
            }
        }
    }

    /// <summary>Keeps the owner of a user's mbox when the server runs as root.</summary>
    private static void CopyOwnership(string original, string temp)
    {
        if (OperatingSystem.IsWindows() || Environment.UserName != "root")
        {
            return;
        }

        using var chown = Process.Start(new ProcessStartInfo("chown", ["--reference=" + original, temp]) { UseShellExecute = false });
        chown?.WaitForExit();
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
