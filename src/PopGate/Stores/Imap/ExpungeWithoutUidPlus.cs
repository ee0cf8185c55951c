namespace PopGate.Stores.Imap;

/// <summary>What to do at commit when the server lacks UIDPLUS, so that UID EXPUNGE of just our messages is impossible.</summary>
public enum ExpungeWithoutUidPlus
{
    /// <summary>Only flag the messages \Deleted; another client's EXPUNGE removes them later. They are hidden from
    /// POP3 listings meanwhile (see <see cref="ImapStoreOptions.ShowDeleted"/>).</summary>
    Never,

    /// <summary>EXPUNGE the mailbox when a UID SEARCH DELETED finds no message flagged but ours (a message another
    /// client flagged in the instant between the search and the expunge would go too).</summary>
    WhenNoOtherDeleted,
}
