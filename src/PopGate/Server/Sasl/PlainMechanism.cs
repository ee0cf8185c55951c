using PopGate.Auth;

namespace PopGate.Server.Sasl;

/// <summary>SASL PLAIN (RFC 4616): "authzid NUL authcid NUL password", UTF-8.</summary>
internal sealed class PlainMechanism : ISaslMechanism
{
    public ValueTask<SaslStep> StepAsync(byte[]? response, CancellationToken cancellationToken)
    {
        if (response is null)
        {
            return ValueTask.FromResult(SaslStep.Send([]));
        }

        if (!SaslPlain.TryParse(response, out var authzid, out var authcid, out var password))
        {
            return ValueTask.FromResult(SaslStep.Fail());
        }

        // Acting as another user is not offered: the identity to use must be the one that logs in.
        if (authzid.Length > 0 && authzid != authcid)
        {
            return ValueTask.FromResult(SaslStep.Fail(authcid));
        }

        return ValueTask.FromResult(new SaslStep(SaslStepKind.Password, User: authcid, Password: password));
    }
}
