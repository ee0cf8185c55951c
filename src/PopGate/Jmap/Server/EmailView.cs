using PopGate.Mime;

namespace PopGate.Jmap.Server;

/// <summary>What the header of a message says, read once per message and kept (a message never changes).</summary>
internal sealed record EmailSummary(
    string? Subject,
    IReadOnlyList<MailAddress>? From,
    IReadOnlyList<MailAddress>? To,
    IReadOnlyList<MailAddress>? Cc,
    IReadOnlyList<MailAddress>? ReplyTo,
    IReadOnlyList<string>? MessageId,
    IReadOnlyList<string>? InReplyTo,
    IReadOnlyList<string>? References,
    DateTimeOffset? SentAt,
    DateTimeOffset ReceivedAt,
    long RawLength);

/// <summary>One message as JMAP sees it in this request: ids derived from its UIDL, and its summary.</summary>
internal sealed record EmailView(int Index, string Id, string BlobId, string ThreadId, long Size, EmailSummary Summary);
