using System.Security.Cryptography;
using System.Text;

namespace PopGate.Sasl;

/// <summary>CRAM-MD5 (RFC 2195): the user name and the hex HMAC-MD5 of the server's challenge keyed by the password.</summary>
public sealed class CramMd5Client : ISaslClientMechanism
{
    private readonly string _user;
    private readonly byte[] _password;
    private bool _answered;

    public CramMd5Client(string user, string password)
    {
        _user = user;
        _password = Encoding.UTF8.GetBytes(password);
    }

    public string Name => "CRAM-MD5";

    public bool IsComplete => _answered;

    public byte[]? GetInitialResponse() => null;

    public byte[] EvaluateChallenge(ReadOnlySpan<byte> challenge)
    {
        if (_answered)
        {
            throw new SaslException("CRAM-MD5 takes one challenge, the server sent another");
        }

        if (challenge.IsEmpty)
        {
            throw new SaslException("CRAM-MD5 needs a challenge, the server sent an empty one");
        }

        _answered = true;
        var digest = Convert.ToHexStringLower(HMACMD5.HashData(_password, challenge));
        return Encoding.UTF8.GetBytes($"{_user} {digest}");
    }
}
