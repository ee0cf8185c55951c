namespace PopGate.Stores;

/// <summary>Who opens a maildrop.</summary>
/// <param name="User">The authenticated (or, for pass-through stores, claimed) user name.</param>
/// <param name="Password">The password the client gave, when it gave one in clear (USER/PASS, PLAIN, LOGIN); used by
/// pass-through stores to log in upstream.</param>
public sealed record MaildropRequest(string User, string? Password = null);
