using PopGate.Stores;

namespace PopGate.Server;

/// <summary>A user the server knows: where their mail is and how their password is checked.</summary>
/// <param name="Name">The user name as logged in.</param>
/// <param name="Store">Where the user's maildrop is.</param>
/// <param name="Credentials">How to check a password; null for pass-through accounts, whose store checks the
/// password against an upstream when it opens.</param>
/// <param name="AllowApop">APOP needs the password in clear; it is offered only when the entry allows it.</param>
public sealed record Account(string Name, IMailStore Store, ICredentialCheck? Credentials, bool AllowApop = true);
