using PopGate.Protocol;

namespace PopGate.Stores.Mbox;

/// <summary>An mbox file (mboxrd by default). The path may hold %u, %n and %d, as for Maildir.</summary>
public sealed class MboxStore : IMailStore
{
    private readonly string _pathTemplate;
    private readonly MboxFormat _format;

    public MboxStore(string pathTemplate, MboxFormat format = MboxFormat.Mboxrd)
    {
        _pathTemplate = pathTemplate;
        _format = format;
    }

    public async ValueTask<IMaildrop> OpenAsync(MaildropRequest request, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(UserPath.Expand(_pathTemplate, request.User));
        var directory = Path.GetDirectoryName(path)!;
        var maildropLock = MaildropLock.Acquire("mbox:" + path, Path.Combine(directory, "." + Path.GetFileName(path) + ".popgate-lock"));
        try
        {
            if (!File.Exists(path))
            {
                // No mail delivered yet: an empty maildrop.
                return new MboxMaildrop(path, [], 0, maildropLock);
            }

            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
            var length = file.Length;
            var messages = MboxParser.Parse(new LengthLimitedStream(file, length), _format);
            await MboxUids.AssignAsync(file, messages, cancellationToken).ConfigureAwait(false);
            return new MboxMaildrop(path, messages, length, maildropLock);
        }
        catch (InvalidDataException e)
        {
            maildropLock.Dispose();
            throw new MaildropException(ResponseCodes.SysPerm, e.Message, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            maildropLock.Dispose();
            throw new MaildropException(ResponseCodes.SysTemp, "cannot read the mbox file", e);
        }
        catch
        {
            maildropLock.Dispose();
            throw;
        }
    }
}
