namespace PopGate.Fetch;

/// <summary>
/// A message on the server as the listing showed it. <see cref="Digest"/> names it across runs (a hash of the server
/// identity and the UIDL) and is null when the server has no UIDL.
/// </summary>
public sealed record FetchedMessage(int Number, string? Uid, long Size, string? Digest)
{
    public override string ToString() => Uid is null ? $"message {Number}" : $"message {Number} (UIDL {Uid})";
}
