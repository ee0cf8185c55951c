using PopGate.Testing;

namespace PopGate.Interop.Server;

/// <summary>One `popgate serve` process shared by the tests of a class; each test adds its own users.</summary>
public sealed class ServeFixture : IAsyncLifetime
{
    public PopGateServer Server { get; private set; } = null!;

    /// <summary>The corpus messages the POP3 peers read: every non-empty message file.</summary>
    public static IReadOnlyList<string> Files { get; } = TestCorpus.NonEmptyMessageFiles();

    public static IReadOnlyList<byte[]> Messages { get; } = Files.Select(File.ReadAllBytes).ToList();

    public async Task InitializeAsync() => Server = await PopGateServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
