namespace PopGate.Server.Sasl;

/// <summary>What a server-side SASL mechanism wants after a client response.</summary>
internal enum SaslStepKind
{
    /// <summary>Send <see cref="SaslStep.Challenge"/> and wait for the next response.</summary>
    Challenge,

    /// <summary>The client gave a user name and password in clear: check them like PASS.</summary>
    Password,

    /// <summary>The mechanism itself proved the user (SCRAM): open the account's maildrop.</summary>
    Authenticated,

    /// <summary>The exchange failed: a wrong proof or a malformed response.</summary>
    Failed,
}

internal readonly record struct SaslStep(SaslStepKind Kind, byte[]? Challenge = null, string? User = null, string? Password = null, Account? Account = null)
{
    public static SaslStep Send(byte[] challenge) => new(SaslStepKind.Challenge, challenge);

    public static SaslStep Fail(string? user = null) => new(SaslStepKind.Failed, User: user);
}
