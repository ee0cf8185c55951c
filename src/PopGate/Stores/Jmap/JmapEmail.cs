namespace PopGate.Stores.Jmap;

/// <summary>One listed email: what the maildrop needs to size, name, download and remove it.</summary>
internal sealed record JmapEmail(string Id, string BlobId, long Size, DateTimeOffset ReceivedAt);

/// <summary>The listing taken at login.</summary>
/// <param name="State">The Email state the listing was taken in; QUIT destroys only if it still holds.</param>
internal sealed record JmapListingResult(string MailboxId, string? TrashId, string State, List<JmapEmail> Emails)
{
    /// <summary>Brought up to date from a kept listing with Email/changes, rather than listed in full.</summary>
    public bool FromChanges { get; init; }
}
