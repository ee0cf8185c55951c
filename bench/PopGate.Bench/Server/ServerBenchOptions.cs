namespace PopGate.Bench.Server;

/// <summary>What the server benchmark measures and how long.</summary>
public sealed record ServerBenchOptions
{
    public static readonly string[] AllServers = ["dovecot-default", "dovecot-tuned", "popgate"];
    public static readonly string[] AllSchemes = ["PLAIN", "SHA512-CRYPT"];

    /// <summary>Messages in each login account's maildrop (and in the RETR test).</summary>
    public int Messages { get; init; } = 1000;

    public int Seed { get; init; } = 42;

    /// <summary>Length of each logins-per-second measurement.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Load before each measurement that is not counted.</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    public IReadOnlyList<int> Clients { get; init; } = [1, 16];

    public IReadOnlyList<string> Schemes { get; init; } = AllSchemes;

    public IReadOnlyList<string> Servers { get; init; } = AllServers;

    /// <summary>RETR commands in flight.</summary>
    public int Window { get; init; } = 64;

    /// <summary>Times the whole maildrop is retrieved in one RETR session.</summary>
    public int Passes { get; init; } = 10;

    /// <summary>RETR sessions measured (the median is reported).</summary>
    public int Repetitions { get; init; } = 3;

    /// <summary>Idle session counts, each measured on a freshly started server.</summary>
    public IReadOnlyList<int> Idle { get; init; } = [200, 1000];

    /// <summary>Messages in each idle account's maildrop.</summary>
    public int IdleMessages { get; init; } = 20;

    /// <summary>How long the idle sessions are held before memory is read.</summary>
    public TimeSpan IdleHold { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Logins done at a time while the idle sessions are opened.</summary>
    public int IdleParallel { get; init; } = 16;

    public int MaxClients => Clients.Count == 0 ? 1 : Clients.Max();

    public int MaxIdle => Idle.Count == 0 ? 0 : Idle.Max();
}
