namespace PopGate.Auth;

/// <summary>Limits and costs of a <see cref="UserDatabase"/>.</summary>
public sealed record UserDatabaseOptions
{
    /// <summary>A larger users file is refused (it is read whole).</summary>
    public long MaxFileBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>How many successful (user, password) verifications are remembered; 0 turns the cache off.</summary>
    public int VerificationCacheSize { get; init; } = 10_000;

    /// <summary>Iteration count of the SCRAM-SHA-256 keys derived for {PLAIN} entries.</summary>
    public int ScramIterations { get; init; } = PasswordHasher.DefaultIterations;
}
