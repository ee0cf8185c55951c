using PopGate.Client;

namespace PopGate.Fetch;

/// <summary>One account to fetch: where from, as whom, where to, and how.</summary>
/// <param name="Name">How messages and the summary name the account.</param>
/// <param name="StatePath">The state store file; null for the default under ~/.local/share/popgate/fetch/.</param>
public sealed record FetchAccount(
    string Name,
    ConnectionSpec Spec,
    Pop3Credentials Credentials,
    Pop3ClientOptions ClientOptions,
    IMessageDelivery Delivery,
    string? StatePath,
    FetchOptions Options);
