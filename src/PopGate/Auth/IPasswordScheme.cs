namespace PopGate.Auth;

/// <summary>One way of storing a password: checks a stored value's form and verifies a password against it.</summary>
internal interface IPasswordScheme
{
    /// <summary>Null when <paramref name="hash"/> is well formed for this scheme, otherwise why not.</summary>
    string? Check(string hash);

    /// <summary>Whether <paramref name="password"/> (UTF-8) matches; false for a malformed hash.</summary>
    bool Verify(string hash, ReadOnlySpan<byte> password);

    /// <summary>The password itself for reversible schemes (PLAIN and its aliases), else null.</summary>
    byte[]? ClearPassword(string hash);
}
