namespace PopGate.Stores.Maildir;

/// <summary>
/// A Maildir (new/ and cur/). The path may hold %u (user), %n (local part) and %d (domain), so one store
/// serves many users. UIDL is the file's base name before ':'.
/// </summary>
public sealed class MaildirStore : IMailStore
{
    private readonly string _pathTemplate;
    private readonly bool _create;

    /// <param name="pathTemplate">The Maildir folder, e.g. "/var/mail/%u/Maildir".</param>
    /// <param name="create">Create new/, cur/ and tmp/ when they are missing (a user with no mail yet).</param>
    public MaildirStore(string pathTemplate, bool create = true)
    {
        _pathTemplate = pathTemplate;
        _create = create;
    }

    public ValueTask<IMaildrop> OpenAsync(MaildropRequest request, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(UserPath.Expand(_pathTemplate, request.User));
        if (_create)
        {
            try
            {
                foreach (var sub in MaildirLayout.SubFolders)
                {
                    Directory.CreateDirectory(Path.Combine(root, sub));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new MaildropException(Protocol.ResponseCodes.SysPerm, "cannot create the maildrop folder", e);
            }
        }
        else if (!Directory.Exists(Path.Combine(root, "cur")) && !Directory.Exists(Path.Combine(root, "new")))
        {
            throw new MaildropException(Protocol.ResponseCodes.SysPerm, "maildrop folder does not exist");
        }

        var maildropLock = MaildropLock.Acquire("maildir:" + root, Path.Combine(root, MaildirLayout.LockFileName));
        try
        {
            var listing = MaildirListingCache.Get(root);
            return ValueTask.FromResult<IMaildrop>(new MaildirMaildrop(root, listing, maildropLock));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            maildropLock.Dispose();
            throw new MaildropException(Protocol.ResponseCodes.SysTemp, "cannot read the maildrop", e);
        }
        catch
        {
            maildropLock.Dispose();
            throw;
        }
    }
}
