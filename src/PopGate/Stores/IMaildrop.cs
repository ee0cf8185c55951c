namespace PopGate.Stores;

/// <summary>
/// A snapshot of one maildrop taken at login and held, locked, for the session. Message indexes are 0-based
/// here; the session adds one for the wire.
/// </summary>
public interface IMaildrop : IAsyncDisposable
{
    /// <summary>The messages in a stable order; never changes during the session.</summary>
    IReadOnlyList<MessageEntry> Messages { get; }

    /// <summary>Streams the raw message (LF or CRLF line ends) to the sink, in chunks, never whole in memory.</summary>
    /// <param name="index">0-based message index.</param>
    /// <param name="sink">Where the bytes go; its <see cref="IMessageSink.WriteAsync"/> returning false means stop.</param>
    /// <param name="bodyLines">For TOP: body lines wanted after the header; null for the whole message. A hint:
    /// the sink cuts the message itself, a store may use it to read less.</param>
    /// <param name="cancellationToken">Cancels the transfer.</param>
    ValueTask WriteMessageAsync(int index, IMessageSink sink, int? bodyLines, CancellationToken cancellationToken);

    /// <summary>Removes the given messages. Called only in the UPDATE state, after QUIT.</summary>
    /// <exception cref="MaildropException">Some messages could not be removed.</exception>
    ValueTask CommitAsync(IReadOnlyCollection<int> deleted, CancellationToken cancellationToken);
}
