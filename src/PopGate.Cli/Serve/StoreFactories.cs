using PopGate.Configuration;

namespace PopGate.Cli.Serve;

/// <summary>Every kind of store `popgate serve` can be configured with.</summary>
internal static class StoreFactories
{
    public static StoreFactory Create() => new();
}
