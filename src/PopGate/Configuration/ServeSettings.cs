using System.Net;
using PopGate.Server;
using PopGate.Stores;

namespace PopGate.Configuration;

/// <summary>What `popgate serve` runs with, read and checked from configuration.</summary>
public sealed record ServeSettings
{
    public IReadOnlyList<IPEndPoint> Listen { get; init; } = [];
    public IReadOnlyList<IPEndPoint> TlsListen { get; init; } = [];
    public string? CertificatePath { get; init; }
    public string? KeyPath { get; init; }
    public string? UsersFile { get; init; }

    /// <summary>The store of users that have none of their own.</summary>
    public IMailStore? DefaultStore { get; init; }

    /// <summary>Stores given to particular users.</summary>
    public IReadOnlyDictionary<string, IMailStore> UserStores { get; init; } = new Dictionary<string, IMailStore>();

    /// <summary>Upstream stores for users not in the users file, chosen by the domain of the user name.</summary>
    public IReadOnlyDictionary<string, IMailStore> PassThroughDomains { get; init; } = new Dictionary<string, IMailStore>();

    /// <summary>The upstream store for pass-through users whose domain is not listed.</summary>
    public IMailStore? PassThroughDefault { get; init; }

    /// <summary>Limits and policies; listeners and certificate are filled in when the server starts.</summary>
    public Pop3ServerOptions Server { get; init; } = new();
}
