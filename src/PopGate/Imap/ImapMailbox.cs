namespace PopGate.Imap;

/// <summary>A selected mailbox as SELECT or EXAMINE reported it.</summary>
/// <param name="Name">The name as the caller gave it (not encoded).</param>
/// <param name="UidValidity">UIDVALIDITY: UIDs are only meaningful together with it.</param>
/// <param name="Exists">The number of messages.</param>
/// <param name="UidNext">UIDNEXT, when the server sent it.</param>
/// <param name="ReadOnly">True after EXAMINE, or when the server allowed only read access.</param>
public sealed record ImapMailbox(string Name, uint UidValidity, long Exists, uint? UidNext, bool ReadOnly);
