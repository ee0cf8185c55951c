namespace PopGate.Stores.Imap;

/// <summary>One listed message: where it lives upstream, and what POP3 sees of it.</summary>
/// <param name="Folder">Index into the store's folders.</param>
/// <param name="Uid">Its IMAP UID.</param>
/// <param name="ImapSize">RFC822.SIZE.</param>
internal sealed record ImapMessage(int Folder, uint Uid, long ImapSize)
{
    /// <summary>The size POP3 lists: RFC822.SIZE, plus the CRLF the POP3 side adds when the message lacks a final one.</summary>
    public long WireSize { get; set; } = ImapSize;
}
