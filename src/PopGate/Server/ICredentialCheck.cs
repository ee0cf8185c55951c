using PopGate.Auth;

namespace PopGate.Server;

/// <summary>Checks a user's password, and gives what the challenge-response mechanisms need.</summary>
public interface ICredentialCheck
{
    /// <summary>True when the password is right.</summary>
    bool Verify(string password);

    /// <summary>The password in clear, for APOP; null when only a hash is stored.</summary>
    string? ClearPassword { get; }

    /// <summary>SCRAM-SHA-256 keys (salt, iterations, StoredKey, ServerKey), or null when they cannot be derived.</summary>
    ScramCredentials? ScramSha256 { get; }
}
