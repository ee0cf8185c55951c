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

    /// <summary>Limits and policies; listeners and certificate are filled in when the server starts.</summary>
    public Pop3ServerOptions Server { get; init; } = new();
}
