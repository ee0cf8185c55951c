namespace PopGate.Stores.Maildir;

/// <summary>A message file found in new/ or cur/.</summary>
internal sealed record MaildirMessage(string BaseName, string Path, long Length, MessageEntry Entry);
