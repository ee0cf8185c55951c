using System.Text;
using PopGate.Auth;

namespace PopGate.Server.Sasl;

/// <summary>
/// SCRAM-SHA-256 (RFC 7677) over POP3 AUTH: client-first, server-first, client-final, then the server's signature
/// sent as a last challenge that the client answers with an empty line (RFC 5034 §4).
/// </summary>
internal sealed class ScramMechanism(IAccountDirectory accounts) : ISaslMechanism
{
    private readonly ScramSha256Server _scram = new();
    private Account? _account;
    private bool _proved;

    public async ValueTask<SaslStep> StepAsync(byte[]? response, CancellationToken cancellationToken)
    {
        if (response is null)
        {
            return SaslStep.Send([]);
        }

        if (_proved)
        {
            return response.Length == 0 ? new SaslStep(SaslStepKind.Authenticated, Account: _account) : SaslStep.Fail(_account?.Name);
        }

        if (_scram.UserName is null)
        {
            var user = UserOf(response);
            _account = user is null ? null : await accounts.FindAsync(user, cancellationToken).ConfigureAwait(false);
            var step = _scram.Start(response, name => name == _account?.Name ? _account.Credentials?.ScramSha256 : null);
            return step.Succeeded ? SaslStep.Send(step.Message) : SaslStep.Fail(user);
        }

        var final = _scram.Finish(response);
        if (!final.Succeeded || _account is null)
        {
            return SaslStep.Fail(_scram.UserName);
        }

        _proved = true;
        return SaslStep.Send(final.Message);
    }

    /// <summary>The "n=" attribute after the GS2 header, unescaped; the SCRAM parser checks the rest.</summary>
    private static string? UserOf(ReadOnlySpan<byte> clientFirst)
    {
        var text = Encoding.UTF8.GetString(clientFirst);
        var parts = text.Split(',');
        if (parts.Length < 4 || !parts[2].StartsWith("n=", StringComparison.Ordinal))
        {
            return null;
        }

        return parts[2][2..].Replace("=2C", ",", StringComparison.Ordinal).Replace("=3D", "=", StringComparison.Ordinal);
    }
}
