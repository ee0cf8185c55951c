namespace PopGate.Sasl;

/// <summary>
/// The client side of one SASL mechanism (RFC 4422) for one authentication exchange. Challenges and responses are
/// raw bytes; the protocol (POP3 AUTH here) does the base64.
/// </summary>
public interface ISaslClientMechanism
{
    /// <summary>The registered name, upper case (PLAIN, SCRAM-SHA-256, ...).</summary>
    string Name { get; }

    /// <summary>The response sent with the AUTH command, or null for mechanisms the server speaks first in.</summary>
    byte[]? GetInitialResponse();

    /// <summary>The response to a server challenge; throws <see cref="SaslException"/> when the challenge is wrong.</summary>
    byte[] EvaluateChallenge(ReadOnlySpan<byte> challenge);

    /// <summary>
    /// True when the exchange needs nothing more from the server. For SCRAM that is once the server proved it knows
    /// the password; a server that says +OK before that is not trusted.
    /// </summary>
    bool IsComplete { get; }
}
