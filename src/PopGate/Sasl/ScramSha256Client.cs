using System.Security.Cryptography;
using System.Text;

namespace PopGate.Sasl;

/// <summary>
/// SCRAM-SHA-256 (RFC 5802, RFC 7677) without channel binding. The server must prove it knows the password:
/// <see cref="IsComplete"/> turns true only after its signature checked out.
/// </summary>
/// <remarks>The password is used as UTF-8 without SASLprep, which is the identity for the ASCII passwords
/// nearly everyone has.</remarks>
public sealed class ScramSha256Client : ISaslClientMechanism
{
    /// <summary>Refuse iteration counts that would make a hostile server burn our CPU.</summary>
    public const int MaxIterations = 1_000_000;

    private const string Gs2Header = "n,,";
    private readonly byte[] _password;
    private readonly string _clientNonce;
    private readonly string _clientFirstBare;
    private byte[]? _expectedServerSignature;
    private int _step;

    public ScramSha256Client(string user, string password, string? clientNonce = null)
    {
        _password = Encoding.UTF8.GetBytes(password);
        _clientNonce = clientNonce ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        _clientFirstBare = $"n={EscapeName(user)},r={_clientNonce}";
    }

    public string Name => "SCRAM-SHA-256";

    public bool IsComplete { get; private set; }

    public byte[]? GetInitialResponse() => Encoding.UTF8.GetBytes(Gs2Header + _clientFirstBare);

    public byte[] EvaluateChallenge(ReadOnlySpan<byte> challenge) => _step++ switch
    {
        0 => ClientFinal(Encoding.UTF8.GetString(challenge)),
        1 => VerifyServerFinal(Encoding.UTF8.GetString(challenge)),
        _ => throw new SaslException("SCRAM takes two server messages, the server sent a third"),
    };

    /// <summary>RFC 5802 saslname: "=" and "," are written as "=3D" and "=2C".</summary>
    public static string EscapeName(string name) => name.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal);

    private byte[] ClientFinal(string serverFirst)
    {
        var attributes = ParseAttributes(serverFirst);
        if (attributes.ContainsKey('m'))
        {
            throw new SaslException("the server requires a SCRAM extension this client does not know");
        }

        if (!attributes.TryGetValue('r', out var nonce) || !nonce.StartsWith(_clientNonce, StringComparison.Ordinal) || nonce.Length == _clientNonce.Length)
        {
            throw new SaslException("the server's nonce does not extend the client's");
        }

        if (!attributes.TryGetValue('s', out var saltText) || !TryBase64(saltText, out var salt) || salt.Length == 0)
        {
            throw new SaslException("the server sent no usable salt");
        }

        if (!attributes.TryGetValue('i', out var iterationText) || !int.TryParse(iterationText, out var iterations) || iterations is < 1 or > MaxIterations)
        {
            throw new SaslException("the server sent no usable iteration count");
        }

        var salted = Rfc2898DeriveBytes.Pbkdf2(_password, salt, iterations, HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        var storedKey = SHA256.HashData(clientKey);
        var withoutProof = $"c={Convert.ToBase64String(Encoding.ASCII.GetBytes(Gs2Header))},r={nonce}";
        var authMessage = Encoding.UTF8.GetBytes($"{_clientFirstBare},{serverFirst},{withoutProof}");
        var clientSignature = HMACSHA256.HashData(storedKey, authMessage);
        var proof = new byte[clientKey.Length];
        for (var i = 0; i < proof.Length; i++)
        {
            proof[i] = (byte)(clientKey[i] ^ clientSignature[i]);
        }

        var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
        _expectedServerSignature = HMACSHA256.HashData(serverKey, authMessage);
        return Encoding.UTF8.GetBytes($"{withoutProof},p={Convert.ToBase64String(proof)}");
    }

    private byte[] VerifyServerFinal(string serverFinal)
    {
        var attributes = ParseAttributes(serverFinal);
        if (attributes.TryGetValue('e', out var error))
        {
            throw new SaslException($"the server refused the proof: {error}");
        }

        if (!attributes.TryGetValue('v', out var verifier) || !TryBase64(verifier, out var signature)
            || !CryptographicOperations.FixedTimeEquals(signature, _expectedServerSignature))
        {
            throw new SaslException("the server's signature is wrong: it does not know the password");
        }

        IsComplete = true;
        return [];
    }

    private static Dictionary<char, string> ParseAttributes(string message)
    {
        var attributes = new Dictionary<char, string>();
        foreach (var part in message.Split(','))
        {
            if (part.Length >= 2 && part[1] == '=')
            {
                attributes.TryAdd(part[0], part[2..]);
            }
        }

        return attributes;
    }

    private static bool TryBase64(string text, out byte[] bytes)
    {
        bytes = new byte[text.Length];
        if (Convert.TryFromBase64String(text, bytes, out var written))
        {
            bytes = bytes[..written];
            return true;
        }

        return false;
    }
}
