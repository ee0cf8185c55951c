using System.Text;

namespace PopGate.Sasl;

/// <summary>PLAIN (RFC 4616): authzid NUL authcid NUL password, all in the initial response.</summary>
public sealed class SaslPlainClient : ISaslClientMechanism
{
    private readonly byte[] _message;

    public SaslPlainClient(string user, string password, string? authorizationId = null)
    {
        _message = Encoding.UTF8.GetBytes($"{authorizationId}\0{user}\0{password}");
    }

    public string Name => "PLAIN";

    public bool IsComplete => true;

    public byte[]? GetInitialResponse() => _message;

    public byte[] EvaluateChallenge(ReadOnlySpan<byte> challenge) =>
        throw new SaslException("PLAIN takes no challenge after its initial response");
}
