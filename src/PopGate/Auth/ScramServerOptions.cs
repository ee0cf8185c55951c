namespace PopGate.Auth;

/// <summary>Settings of <see cref="ScramSha256Server"/>.</summary>
public sealed record ScramServerOptions
{
    /// <summary>The server's part of the nonce; null for a fresh random one (set only in tests).</summary>
    public string? ServerNonce { get; init; }

    /// <summary>
    /// Iteration count announced for unknown users. Make it the count real users have (the default matches new
    /// {PBKDF2-SHA256} entries), so that the answer does not tell which users exist.
    /// </summary>
    public int FakeIterations { get; init; } = PasswordHasher.DefaultIterations;

    /// <summary>Longest client message accepted, in octets.</summary>
    public int MaxMessageBytes { get; init; } = 4096;
}
