namespace PopGate.Auth;

/// <summary>How <see cref="LoginThrottle"/> slows down guessing from one address.</summary>
public sealed record LoginThrottleOptions
{
    /// <summary>Consecutive failures answered without delay (a typo should not cost anything).</summary>
    public int FreeFailures { get; init; } = 1;

    /// <summary>The delay after the first failure beyond the free ones; it doubles with each further failure.</summary>
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(16);

    /// <summary>An address with no failure for this long starts again from zero.</summary>
    public TimeSpan QuietPeriod { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Addresses remembered at most; beyond it the least recently failed are forgotten.</summary>
    public int MaxAddresses { get; init; } = 10_000;

    /// <summary>IPv6 addresses count per prefix of this length, as one host usually holds a whole /64.</summary>
    public int Ipv6PrefixLength { get; init; } = 64;
}
