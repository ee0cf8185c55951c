using System.Text;

namespace PopGate.Auth;

/// <summary>
/// One answer of the SCRAM server: the message to send on success, or an RFC 5802 server-error value
/// ("invalid-proof", "channel-binding-not-supported", ...) with the matching "e=..." message.
/// </summary>
public sealed record ScramStep(bool Succeeded, byte[] Message, string? Error)
{
    internal static ScramStep Ok(string message) => new(true, Encoding.UTF8.GetBytes(message), null);

    internal static ScramStep Fail(string error) => new(false, Encoding.ASCII.GetBytes("e=" + error), error);

    /// <summary>Never prints the message (the server signature is a secret until sent).</summary>
    public override string ToString() => Succeeded ? "SCRAM step succeeded" : $"SCRAM step failed: {Error}";
}
