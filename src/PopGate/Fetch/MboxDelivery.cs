using System.Globalization;
using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text;
using PopGate.Stores.Mbox;

namespace PopGate.Fetch;

/// <summary>
/// Delivery into an mbox file (mboxrd): a "From " line, the message with ">*From " lines quoted by one more '>',
/// then an empty line. Each message is first rendered into a private temporary file (so the mbox is locked only
/// for a local copy, never while the network is slow), then appended under a dot-lock and an fcntl lock and
/// fsynced. The append is recorded as pending (offset, length, SHA-256) before its first byte, so a run killed
/// mid-append is settled by the next one: a complete append counts as delivered, a torn one is cut off.
/// </summary>
public sealed class MboxDelivery : IMessageDelivery
{
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StaleDotLock = TimeSpan.FromMinutes(5);
    private readonly LineEnds _lineEnds;

    public MboxDelivery(string path, LineEnds lineEnds)
    {
        FilePath = Path.GetFullPath(path);
        _lineEnds = lineEnds;
    }

    public string FilePath { get; }

    public string Description => $"mbox {FilePath}";

    private string NewLine => _lineEnds == LineEnds.Lf ? "\n" : "\r\n";

    public ValueTask OpenAsync(bool create, CancellationToken cancellationToken)
    {
        if (create)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        }

        return ValueTask.CompletedTask;
    }

    public int RecordBatch => 64;

    public bool Holds(FetchedMessage message) => false;

    public async ValueTask<bool> SettlePendingAsync(PendingAppend pending, CancellationToken cancellationToken)
    {
        if (!File.Exists(FilePath))
        {
            return false;
        }

        using var dotLock = await DotLock.AcquireAsync(FilePath + ".lock", LockWait, StaleDotLock, cancellationToken).ConfigureAwait(false);
        await using var mbox = new FileStream(FilePath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 64 * 1024);
        await LockAsync(mbox, cancellationToken).ConfigureAwait(false);
        var length = mbox.Length;
        if (length >= pending.Offset + pending.Length)
        {
            mbox.Position = pending.Offset;
            var hash = await SHA256.HashDataAsync(new LengthLimitedStream(mbox, pending.Length), cancellationToken).ConfigureAwait(false);
            if (hash.AsSpan().SequenceEqual(pending.Sha256))
            {
                return true;
            }
        }

        if (length > pending.Offset && length < pending.Offset + pending.Length && await StartsWithFromLineAsync(mbox, pending.Offset, cancellationToken).ConfigureAwait(false))
        {
            // Our torn append is the end of the file: cut it off so the message is appended whole again.
            mbox.SetLength(pending.Offset);
            mbox.Flush(flushToDisk: true);
        }

        return false;
    }

    public async ValueTask<long> DeliverAsync(FetchedMessage message, PipeReader body, Func<PendingAppend, ValueTask> beforeAppend, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(beforeAppend);
        var temp = Path.Combine(Path.GetTempPath(), $"popgate-mbox-{Environment.ProcessId}-{Guid.NewGuid():N}");
        await using var rendered = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 0, FileOptions.DeleteOnClose);
        var fromLine = Encoding.ASCII.GetBytes($"From MAILER-DAEMON {AscTime(DateTime.UtcNow)}{NewLine}");
        rendered.Write(fromLine);
        var copied = await MessageCopier.CopyAsync(body, rendered, _lineEnds, mboxQuote: true, cancellationToken).ConfigureAwait(false);
        if (!copied.EndsWithLineEnd)
        {
            rendered.Write(Encoding.ASCII.GetBytes(NewLine));
        }

        rendered.Write(Encoding.ASCII.GetBytes(NewLine));
        rendered.Flush();
        rendered.Position = 0;
        var hash = await SHA256.HashDataAsync(rendered, cancellationToken).ConfigureAwait(false);
        var length = rendered.Length;

        try
        {
            using var dotLock = await DotLock.AcquireAsync(FilePath + ".lock", LockWait, StaleDotLock, cancellationToken).ConfigureAwait(false);
            await using var mbox = new FileStream(FilePath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite, 64 * 1024);
            await LockAsync(mbox, cancellationToken).ConfigureAwait(false);
            var offset = mbox.Length;
            if (offset > 0 && !await EndsWithNewLineAsync(mbox, cancellationToken).ConfigureAwait(false))
            {
                // A file that does not end its last line would glue our "From " line to it.
                mbox.Position = offset;
                mbox.Write(Encoding.ASCII.GetBytes(NewLine));
                offset = mbox.Position;
            }

            await beforeAppend(new PendingAppend(offset, length, hash)).ConfigureAwait(false);
            mbox.Position = offset;
            rendered.Position = 0;
            try
            {
                await rendered.CopyToAsync(mbox, cancellationToken).ConfigureAwait(false);
                mbox.Flush(flushToDisk: true);
            }
            catch (IOException)
            {
                // Disk full mid-append: take the torn message back out so the mbox stays readable.
                mbox.SetLength(offset);
                mbox.Flush(flushToDisk: true);
                throw;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DeliveryException($"cannot append to {FilePath}: {e.Message}", e);
        }

        return copied.Written;
    }

    /// <summary>"Wed Dec  2 15:15:57 2026", the date form of mbox "From " lines.</summary>
    public static string AscTime(DateTime time) =>
        time.ToString("ddd MMM ", CultureInfo.InvariantCulture)
        + time.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2)
        + time.ToString(" HH:mm:ss yyyy", CultureInfo.InvariantCulture);

    /// <summary>An fcntl write lock on the whole file (FileStream.Lock on Unix), retried while another program holds it.</summary>
    private static async ValueTask LockAsync(FileStream file, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsMacOS())
        {
            return;
        }

        var deadline = DateTime.UtcNow + LockWait;
        while (true)
        {
            try
            {
                file.Lock(0, long.MaxValue);
                return;
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async ValueTask<bool> EndsWithNewLineAsync(FileStream file, CancellationToken cancellationToken)
    {
        var last = new byte[1];
        file.Position = file.Length - 1;
        await file.ReadExactlyAsync(last, cancellationToken).ConfigureAwait(false);
        return last[0] == (byte)'\n';
    }

    private static async ValueTask<bool> StartsWithFromLineAsync(FileStream file, long offset, CancellationToken cancellationToken)
    {
        var head = new byte[5];
        file.Position = offset;
        var n = await file.ReadAtLeastAsync(head, 5, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        return n == 5 && head.AsSpan().SequenceEqual("From "u8);
    }

    public ValueTask<IReadOnlyList<(FetchedMessage Message, Exception Error)>> FlushAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<(FetchedMessage Message, Exception Error)>>([]);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
