using System.Text;

namespace PopGate.Sasl;

/// <summary>
/// XOAUTH2 (Google's and Microsoft's OAuth 2.0 mechanism): user and bearer token in the initial response. A
/// failure comes as a challenge carrying a JSON error, which must be answered with an empty line before -ERR.
/// </summary>
public sealed class XOAuth2Client : ISaslClientMechanism
{
    private readonly byte[] _message;
    private bool _errorSeen;

    public XOAuth2Client(string user, string accessToken)
    {
        _message = Encoding.UTF8.GetBytes($"user={user}\u0001auth=Bearer {accessToken}\u0001\u0001");
    }

    public string Name => "XOAUTH2";

    public bool IsComplete => true;

    /// <summary>The JSON error the server sent, when it refused the token.</summary>
    public string? ServerError { get; private set; }

    public byte[]? GetInitialResponse() => _message;

    public byte[] EvaluateChallenge(ReadOnlySpan<byte> challenge)
    {
        if (_errorSeen)
        {
            throw new SaslException("XOAUTH2 takes at most one error challenge");
        }

        _errorSeen = true;
        ServerError = Encoding.UTF8.GetString(challenge);
        return [];
    }
}
