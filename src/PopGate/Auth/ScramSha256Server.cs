using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PopGate.Auth;

/// <summary>
/// The server side of one SCRAM-SHA-256 exchange (RFC 5802, RFC 7677), without channel binding:
/// <see cref="Start"/> answers the client's first message, <see cref="Finish"/> checks its proof. An unknown user
/// gets a plausible answer (a salt derived from the name) and fails only at the end, so names cannot be probed.
/// </summary>
public sealed class ScramSha256Server
{
    // One key per process: fake salts stay the same for a name across attempts, as real ones do.
    private static readonly byte[] FakeSaltKey = RandomNumberGenerator.GetBytes(32);

    private readonly ScramServerOptions _options;
    private State _state;
    private ScramClientFirst? _first;
    private ScramCredentials? _credentials;
    private string _serverFirst = string.Empty;
    private string _nonce = string.Empty;
    private bool _unknownUser;

    public ScramSha256Server(ScramServerOptions? options = null)
    {
        _options = options ?? new ScramServerOptions();
        if (_options.ServerNonce is not null && !ScramMessages.IsNonce(_options.ServerNonce))
        {
            throw new ArgumentException("a server nonce is visible ASCII without ','", nameof(options));
        }
    }

    private enum State
    {
        New,
        Started,
        Finished,
    }

    /// <summary>The user named in the client's first message (after a successful <see cref="Start"/>).</summary>
    public string? UserName => _first?.User;

    /// <summary>The authzid the client sent; empty when none (it is only ever the user itself).</summary>
    public string AuthorizationId => _first?.AuthorizationId ?? string.Empty;

    /// <summary>True once <see cref="Finish"/> accepted the proof.</summary>
    public bool IsAuthenticated { get; private set; }

    /// <summary>Answers client-first with server-first, or fails (bad syntax, channel binding, foreign authzid).</summary>
    /// <param name="lookup">The credentials of a user name, or null when there is no such user.</param>
    public ScramStep Start(ReadOnlySpan<byte> clientFirst, Func<string, ScramCredentials?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        if (_state != State.New)
        {
            throw new InvalidOperationException("Start was already called");
        }

        _state = State.Finished;
        var error = ScramMessages.TryDecode(clientFirst, _options.MaxMessageBytes, out var text)
            ?? ScramMessages.TryParseFirst(text, out _first);
        if (error is not null)
        {
            _first = null;
            return ScramStep.Fail(error);
        }

        if (_first!.AuthorizationId.Length > 0 && !string.Equals(_first.AuthorizationId, _first.User, StringComparison.Ordinal))
        {
            // Acting as another user is not offered; only the redundant authzid equal to the user is accepted.
            return ScramStep.Fail("other-error");
        }

        _credentials = lookup(_first.User);
        if (_credentials is null)
        {
            _unknownUser = true;
            _credentials = FakeCredentials(_first.User);
        }

        _nonce = _first.Nonce + (_options.ServerNonce ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)));
        _serverFirst = string.Create(
            CultureInfo.InvariantCulture,
            $"r={_nonce},s={Convert.ToBase64String(_credentials.Salt)},i={_credentials.Iterations}");
        _state = State.Started;
        return ScramStep.Ok(_serverFirst);
    }

    /// <summary>Checks client-final; on success answers with server-final ("v=" and the server signature).</summary>
    public ScramStep Finish(ReadOnlySpan<byte> clientFinal)
    {
        if (_state != State.Started)
        {
            throw new InvalidOperationException("Finish needs a successful Start first");
        }

        _state = State.Finished;
        ScramClientFinal? final = null;
        var error = ScramMessages.TryDecode(clientFinal, _options.MaxMessageBytes, out var text)
            ?? ScramMessages.TryParseFinal(text, out final);
        if (error is not null || final is null)
        {
            return ScramStep.Fail(error ?? ScramMessages.InvalidEncoding);
        }

        if (!final.ChannelBinding.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(_first!.Gs2Header)))
        {
            return ScramStep.Fail("channel-bindings-dont-match");
        }

        if (!string.Equals(final.Nonce, _nonce, StringComparison.Ordinal))
        {
            return ScramStep.Fail("other-error");
        }

        var credentials = _credentials!;
        var authMessage = Encoding.UTF8.GetBytes($"{_first.Bare},{_serverFirst},{final.WithoutProof}");
        var clientSignature = HMACSHA256.HashData(credentials.StoredKey, authMessage);
        var valid = final.Proof.Length == clientSignature.Length;
        if (valid)
        {
            // ClientKey = ClientProof XOR ClientSignature; the proof is right when H(ClientKey) is the StoredKey.
            for (var i = 0; i < clientSignature.Length; i++)
            {
                clientSignature[i] ^= final.Proof[i];
            }

            valid = CryptographicOperations.FixedTimeEquals(SHA256.HashData(clientSignature), credentials.StoredKey) && !_unknownUser;
        }

        CryptographicOperations.ZeroMemory(clientSignature);
        if (!valid)
        {
            return ScramStep.Fail("invalid-proof");
        }

        IsAuthenticated = true;
        return ScramStep.Ok("v=" + Convert.ToBase64String(HMACSHA256.HashData(credentials.ServerKey, authMessage)));
    }

    private ScramCredentials FakeCredentials(string user)
    {
        var salt = HMACSHA256.HashData(FakeSaltKey, Encoding.UTF8.GetBytes("scram-fake\0" + user))[..PasswordHasher.SaltBytes];
        return new ScramCredentials(
            salt,
            _options.FakeIterations,
            RandomNumberGenerator.GetBytes(ScramCredentials.KeyBytes),
            RandomNumberGenerator.GetBytes(ScramCredentials.KeyBytes));
    }
}
