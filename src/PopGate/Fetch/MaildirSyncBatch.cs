using PopGate.IO;

namespace PopGate.Fetch;

/// <summary>
/// Messages written under a Maildir's tmp/ and not yet durable. A sync fsyncs them side by side (the file system
/// folds concurrent flushes into fewer journal commits), renames each into new/, then fsyncs new/ once for all.
/// </summary>
internal sealed class MaildirSyncBatch
{
    private const int ParallelFlushes = 8;

    private readonly Lock _gate = new();
    private List<(string Temp, string Final)> _written = [];

    public void Add(string temp, string final)
    {
        lock (_gate)
        {
            _written.Add((temp, final));
        }
    }

    public async ValueTask SyncAsync(string folder, CancellationToken cancellationToken)
    {
        List<(string Temp, string Final)> batch;
        lock (_gate)
        {
            batch = _written;
            _written = [];
        }

        if (batch.Count == 0)
        {
            return;
        }

        var moved = 0;
        try
        {
            await Parallel.ForEachAsync(
                batch,
                new ParallelOptions { MaxDegreeOfParallelism = ParallelFlushes, CancellationToken = cancellationToken },
                static (file, _) =>
                {
                    using var handle = File.OpenHandle(file.Temp, FileMode.Open, FileAccess.Write);
                    RandomAccess.FlushToDisk(handle);
                    return ValueTask.CompletedTask;
                }).ConfigureAwait(false);
            foreach (var (temp, final) in batch)
            {
                File.Move(temp, final);
                moved++;
            }

            DirectorySync.Flush(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            foreach (var (temp, _) in batch.Skip(moved))
            {
                TryDelete(temp);
            }

            throw new DeliveryException($"cannot make {batch.Count} messages durable in {folder}: {e.Message}", e);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left under tmp/, where no reader looks; a later run removes what a finished run left.
        }
    }
}
