using System.Globalization;
using System.Text;

namespace PopGate.Sasl;

/// <summary>
/// OAUTHBEARER (RFC 7628): a GS2 header naming the user, host and port, and the bearer token. On failure the
/// server sends a JSON error challenge, answered with a single 0x01 before its -ERR.
/// </summary>
public sealed class OAuthBearerClient : ISaslClientMechanism
{
    private readonly byte[] _message;
    private bool _errorSeen;

    public OAuthBearerClient(string user, string accessToken, string host, int port)
    {
        var portText = port.ToString(CultureInfo.InvariantCulture);
        _message = Encoding.UTF8.GetBytes(
            $"n,a={ScramSha256Client.EscapeName(user)},\u0001host={host}\u0001port={portText}\u0001auth=Bearer {accessToken}\u0001\u0001");
    }

    public string Name => "OAUTHBEARER";

    public bool IsComplete => true;

    /// <summary>The JSON error the server sent, when it refused the token.</summary>
    public string? ServerError { get; private set; }

    public byte[]? GetInitialResponse() => _message;

    public byte[] EvaluateChallenge(ReadOnlySpan<byte> challenge)
    {
        if (_errorSeen)
        {
            throw new SaslException("OAUTHBEARER takes at most one error challenge");
        }

        _errorSeen = true;
        ServerError = Encoding.UTF8.GetString(challenge);
        return [0x01];
    }
}
