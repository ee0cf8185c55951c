using System.Security.Cryptography;
using System.Text;
using PopGate.Auth;

namespace PopGate.Server;

/// <summary>A password known in clear (tests, embedded servers, {PLAIN} entries): every mechanism can use it.</summary>
public sealed class ClearTextCredentials : ICredentialCheck
{
    private readonly string _password;
    private readonly Lazy<ScramCredentials> _scram;

    public ClearTextCredentials(string password)
    {
        _password = password;
        _scram = new Lazy<ScramCredentials>(() => ScramCredentials.FromPassword(password, RandomNumberGenerator.GetBytes(16), 4096));
    }

    public bool Verify(string password) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(_password));

    public string? ClearPassword => _password;

    public ScramCredentials? ScramSha256 => _scram.Value;
}
