namespace PopGate.Stores;

/// <summary>
/// A maildrop that can fetch messages before they are asked for. A POP3 client that pipelines RETRs has the next
/// ones waiting in the session's input; a store behind a network round trip (IMAP, JMAP) uses that to ask its
/// upstream for several messages at once instead of one round trip each.
/// </summary>
public interface IReadAhead
{
    /// <summary>The messages (0-based) of the RETR commands queued behind the one about to be answered, in order.
    /// A hint only: the maildrop may fetch some of them ahead, within its own memory budget.</summary>
    void Upcoming(IReadOnlyList<int> indexes);
}
