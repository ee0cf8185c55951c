using System.IO.Pipelines;
using PopGate.IO;

namespace PopGate.Fetch;

/// <summary>
/// Delivery into a Maildir: each message is written under tmp/, fsynced, renamed into new/, and new/ is fsynced,
/// so once <see cref="FlushAsync"/> has returned the message survives a crash. Names carry the message digest
/// (<see cref="MaildirNames"/>), which is how a delivery made just before a kill is recognised next time.
/// </summary>
public sealed class MaildirDelivery : IMessageDelivery
{
    private readonly HashSet<string> _found = new(StringComparer.Ordinal);
    private readonly List<(FetchedMessage Message, Task Sync)> _syncing = [];
    private readonly SemaphoreSlim _syncSlots = new(4, 4);
    private readonly LineEnds _lineEnds;

    public MaildirDelivery(string path, LineEnds lineEnds)
    {
        Root = Path.GetFullPath(path);
        _lineEnds = lineEnds;
    }

    public string Root { get; }

    public string Description => $"Maildir {Root}";

    private string Tmp => Path.Combine(Root, "tmp");

    private string New => Path.Combine(Root, "new");

    private string Cur => Path.Combine(Root, "cur");

    public ValueTask OpenAsync(bool create, CancellationToken cancellationToken)
    {
        if (create)
        {
            foreach (var folder in new[] { Tmp, New, Cur })
            {
                Directory.CreateDirectory(folder);
            }
        }

        if (create)
        {
            RemoveAbandonedTemporaries();
        }

        // One listing per run, not one per message: what an interrupted run renamed into place has a digest.
        foreach (var folder in new[] { New, Cur })
        {
            if (!Directory.Exists(folder))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(folder))
            {
                if (MaildirNames.DigestOf(Path.GetFileName(file)) is { } digest)
                {
                    _found.Add(digest);
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    public bool Holds(FetchedMessage message) => message.Digest is not null && _found.Contains(message.Digest);

    public ValueTask<bool> SettlePendingAsync(PendingAppend pending, CancellationToken cancellationToken) => ValueTask.FromResult(false);

    public int RecordBatch => 64;

    public async ValueTask<long> DeliverAsync(FetchedMessage message, PipeReader body, Func<PendingAppend, ValueTask> beforeAppend, CancellationToken cancellationToken)
    {
        var name = MaildirNames.New(message.Digest, DateTimeOffset.UtcNow);
        var temp = Path.Combine(Tmp, name);
        long written;
        try
        {
            await using var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
            written = (await MessageCopier.CopyAsync(body, file, _lineEnds, mboxQuote: false, cancellationToken).ConfigureAwait(false)).Written;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new DeliveryException($"cannot write into {Root}: {e.Message}", e);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }

        // fsync then rename, off the connection's reading loop: the disk syncs this file while the next one arrives,
        // and a journaling file system commits several of them together. FlushAsync waits for them.
        _syncing.Add((message, SyncAndMoveAsync(temp, Path.Combine(New, name))));
        return written;
    }

    public async ValueTask<IReadOnlyList<(FetchedMessage Message, Exception Error)>> FlushAsync(CancellationToken cancellationToken)
    {
        var failures = new List<(FetchedMessage, Exception)>();
        foreach (var (message, sync) in _syncing)
        {
            try
            {
                await sync.ConfigureAwait(false);
            }
            catch (Exception e)
            {
                failures.Add((message, e is IOException or UnauthorizedAccessException ? new DeliveryException($"cannot write into {Root}: {e.Message}", e) : e));
            }
        }

        var synced = _syncing.Count > failures.Count;
        _syncing.Clear();
        if (synced)
        {
            DirectorySync.Flush(New);
        }

        return failures;
    }

    /// <summary>A few fsyncs at a time: each blocks a thread, and more of them would only make the pool grow.</summary>
    private async Task SyncAndMoveAsync(string temp, string target)
    {
        await _syncSlots.WaitAsync().ConfigureAwait(false);
        try
        {
            await Task.Run(() => SyncAndMove(temp, target)).ConfigureAwait(false);
        }
        finally
        {
            _syncSlots.Release();
        }
    }

    private static void SyncAndMove(string temp, string target)
    {
        try
        {
            using (var handle = File.OpenHandle(temp, FileMode.Open, FileAccess.Write))
            {
                RandomAccess.FlushToDisk(handle);
            }

            File.Move(temp, target);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>
    /// Files a killed run left under tmp/: ours by their name, and their writer's process is gone. Another program's
    /// files, and those of a run still going, are left alone.
    /// </summary>
    private void RemoveAbandonedTemporaries()
    {
        foreach (var file in Directory.EnumerateFiles(Tmp))
        {
            var name = Path.GetFileName(file);
            if (MaildirNames.DigestOf(name) is not null && MaildirNames.WriterOf(name) is { } pid && !LocalProcess.IsRunning(pid))
            {
                TryDelete(file);
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await FlushAsync(CancellationToken.None).ConfigureAwait(false);
        _syncSlots.Dispose();
    }
}
