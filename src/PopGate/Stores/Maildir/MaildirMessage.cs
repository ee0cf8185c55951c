namespace PopGate.Stores.Maildir;

/// <summary>
/// A message file found in new/ or cur/. Only its name is kept, not its full path: listings stay in memory between
/// logins, and for a file in new/ the name is the base name itself, so the one string serves as name and UIDL.
/// </summary>
internal sealed record MaildirMessage(string BaseName, string FileName, bool InCur, long Length, MessageEntry Entry)
{
    public string PathIn(string root) => Path.Join(root, InCur ? "cur" : "new", FileName);
}
