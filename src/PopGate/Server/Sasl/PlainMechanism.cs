using System.Text;

namespace PopGate.Server.Sasl;

/// <summary>SASL PLAIN (RFC 4616): "authzid NUL authcid NUL password", UTF-8.</summary>
internal sealed class PlainMechanism : ISaslMechanism
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    public ValueTask<SaslStep> StepAsync(byte[]? response, CancellationToken cancellationToken)
    {
        if (response is null)
        {
            return ValueTask.FromResult(SaslStep.Send([]));
        }

        return ValueTask.FromResult(Parse(response));
    }

    private static SaslStep Parse(ReadOnlySpan<byte> message)
    {
        var first = message.IndexOf((byte)0);
        if (first < 0)
        {
            return SaslStep.Fail();
        }

        var rest = message[(first + 1)..];
        var second = rest.IndexOf((byte)0);
        if (second < 0 || rest[(second + 1)..].IndexOf((byte)0) >= 0)
        {
            return SaslStep.Fail();
        }

        try
        {
            var authzid = StrictUtf8.GetString(message[..first]);
            var authcid = StrictUtf8.GetString(rest[..second]);
            var password = StrictUtf8.GetString(rest[(second + 1)..]);
            // Acting as another user is not offered: the identity to use must be the one that logs in.
            if (authcid.Length == 0 || (authzid.Length > 0 && authzid != authcid))
            {
                return SaslStep.Fail(authcid);
            }

            return new SaslStep(SaslStepKind.Password, User: authcid, Password: password);
        }
        catch (DecoderFallbackException)
        {
            return SaslStep.Fail();
        }
    }
}
