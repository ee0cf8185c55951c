using PopGate.Protocol;

namespace PopGate.Stores.Maildir;

/// <summary>A locked snapshot of a Maildir.</summary>
internal sealed class MaildirMaildrop : IMaildrop
{
    private readonly string _root;
    private readonly IReadOnlyList<MaildirMessage> _files;
    private readonly MaildropLock _lock;

    public MaildirMaildrop(string root, MaildirListing listing, MaildropLock maildropLock)
    {
        _root = root;
        _files = listing.Files;
        _lock = maildropLock;
        Messages = listing.Entries;
    }

    public IReadOnlyList<MessageEntry> Messages { get; }

    public async ValueTask WriteMessageAsync(int index, IMessageSink sink, int? bodyLines, CancellationToken cancellationToken)
    {
        var path = Locate(_files[index]) ?? throw new MaildropException(ResponseCodes.SysTemp, "message was removed by another program");
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (FileNotFoundException e)
        {
            throw new MaildropException(ResponseCodes.SysTemp, "message was removed by another program", e);
        }

        await using (file.ConfigureAwait(false))
        {
            await StreamCopy.ToSinkAsync(file, sink, null, cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask CommitAsync(IReadOnlyCollection<int> deleted, CancellationToken cancellationToken)
    {
        var failed = 0;
        foreach (var index in deleted)
        {
            var path = Locate(_files[index]);
            if (path is null)
            {
                continue;
            }

            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                failed++;
            }
        }

        if (failed > 0)
        {
            throw new MaildropException(ResponseCodes.SysTemp, $"{failed} of {deleted.Count} deleted messages could not be removed");
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The message's current path: another mail reader may have moved it to cur/ or changed its flags.</summary>
    private string? Locate(MaildirMessage message)
    {
        var path = message.PathIn(_root);
        if (File.Exists(path))
        {
            return path;
        }

        var cur = Path.Combine(_root, "cur");
        if (!Directory.Exists(cur))
        {
            return null;
        }

        foreach (var candidate in Directory.EnumerateFiles(cur, message.BaseName + "*"))
        {
            if (MaildirLayout.BaseName(Path.GetFileName(candidate)) == message.BaseName)
            {
                return candidate;
            }
        }

        return null;
    }

    public ValueTask DisposeAsync()
    {
        _lock.Dispose();
        return ValueTask.CompletedTask;
    }
}
