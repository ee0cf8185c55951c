using System.Text;

namespace PopGate.Sasl;

/// <summary>
/// LOGIN (draft-murchison-sasl-login): the server prompts twice and gets the user name, then the password. The
/// prompts' text varies between servers, so only their order counts.
/// </summary>
public sealed class SaslLoginClient : ISaslClientMechanism
{
    private readonly string _user;
    private readonly string _password;
    private int _step;

    public SaslLoginClient(string user, string password)
    {
        _user = user;
        _password = password;
    }

    public string Name => "LOGIN";

    public bool IsComplete => true;

    public byte[]? GetInitialResponse() => null;

    public byte[] EvaluateChallenge(ReadOnlySpan<byte> challenge) => _step++ switch
    {
        0 => Encoding.UTF8.GetBytes(_user),
        1 => Encoding.UTF8.GetBytes(_password),
        _ => throw new SaslException("LOGIN takes two prompts, the server sent a third"),
    };
}
