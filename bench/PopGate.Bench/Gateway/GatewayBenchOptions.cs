namespace PopGate.Bench.Gateway;

/// <summary>What the gateway and JMAP benchmarks measure.</summary>
public sealed record GatewayBenchOptions
{
    public static readonly string[] AllUpstreams = ["dovecot", "cyrus"];

    /// <summary>The `popgate` serving: a native program (scripts/publish-native.sh), or null for the build next to the benchmark.</summary>
    public string? Program { get; init; }

    /// <summary>Messages in the benchmark mailbox.</summary>
    public int Messages { get; init; } = 10_000;

    public int Seed { get; init; } = 42;

    /// <summary>RETR (and IMAP UID FETCH) commands in flight.</summary>
    public int Window { get; init; } = 64;

    /// <summary>Download runs per client (alternating, the median reported).</summary>
    public int Repetitions { get; init; } = 3;

    /// <summary>Logins timed after the first one.</summary>
    public int Logins { get; init; } = 5;

    /// <summary>Size of the large message in the memory test (0: no memory test).</summary>
    public int LargeMegabytes { get; init; } = 64;

    /// <summary>The IMAP store's ReadAheadKiB; null leaves its default.</summary>
    public int? ReadAheadKiB { get; init; }

    /// <summary>For `gateway`: the IMAP servers behind the gateway.</summary>
    public IReadOnlyList<string> Upstreams { get; init; } = AllUpstreams;
}
