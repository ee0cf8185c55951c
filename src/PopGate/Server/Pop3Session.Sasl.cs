using System.Buffers;
using System.Text;
using PopGate.Protocol;
using PopGate.Server.Sasl;

namespace PopGate.Server;

/// <summary>AUTH (RFC 5034): a SASL exchange spread over several lines, driven by the read loop.</summary>
internal sealed partial class Pop3Session
{
    private ISaslMechanism? _sasl;
    private string _saslName = string.Empty;

    private IEnumerable<string> SaslMechanisms()
    {
        if (PlaintextAllowed)
        {
            yield return "PLAIN";
            yield return "LOGIN";
        }

        yield return "SCRAM-SHA-256";
    }

    private ISaslMechanism? CreateMechanism(string name) => name switch
    {
        "PLAIN" when PlaintextAllowed => new PlainMechanism(),
        "LOGIN" when PlaintextAllowed => new LoginMechanism(),
        "SCRAM-SHA-256" => new ScramMechanism(_server.Accounts),
        _ => null,
    };

    private async ValueTask AuthAsync(Pop3Command command)
    {
        var parts = command.Split();
        if (parts.Length == 0)
        {
            // The mechanism list without arguments, as older clients ask for it.
            Output.Ok("mechanisms follow");
            foreach (var name in SaslMechanisms())
            {
                Output.Line(name);
            }

            Output.End();
            return;
        }

        if (parts.Length > 2)
        {
            Error(null, "AUTH takes a mechanism and an optional initial response");
            return;
        }

        var mechanism = CreateMechanism(parts[0].ToUpperInvariant());
        if (mechanism is null)
        {
            Error(null, "unsupported authentication mechanism");
            return;
        }

        byte[]? initial = null;
        if (parts.Length == 2)
        {
            // "=" stands for an empty initial response.
            initial = parts[1] == "=" ? [] : DecodeBase64(parts[1]);
            if (initial is null)
            {
                Error(null, "invalid base64 in the initial response");
                return;
            }
        }

        _sasl = mechanism;
        _saslName = parts[0].ToUpperInvariant();
        await StepSaslAsync(initial).ConfigureAwait(false);
    }

    private async ValueTask ContinueSaslAsync(ReadOnlySequence<byte> line)
    {
        if (line.Length == 1 && line.FirstSpan[0] == (byte)'*')
        {
            _sasl = null;
            Error(null, "authentication cancelled");
            return;
        }

        var response = DecodeBase64(Encoding.ASCII.GetString(line));
        if (response is null)
        {
            _sasl = null;
            Error(null, "invalid base64 in the response");
            return;
        }

        await StepSaslAsync(response).ConfigureAwait(false);
    }

    private async ValueTask StepSaslAsync(byte[]? response)
    {
        var step = await _sasl!.StepAsync(response, _shutdown).ConfigureAwait(false);
        switch (step.Kind)
        {
            case SaslStepKind.Challenge:
                Output.Write("+ "u8);
                Output.Line(Convert.ToBase64String(step.Challenge!));
                return;
            case SaslStepKind.Password:
                _sasl = null;
                await LoginWithPasswordAsync(step.User!, step.Password!, "AUTH " + _saslName).ConfigureAwait(false);
                return;
            case SaslStepKind.Authenticated:
                _sasl = null;
                await OpenMaildropAsync(step.Account!, null, "AUTH " + _saslName).ConfigureAwait(false);
                return;
            default:
                _sasl = null;
                await FailLoginAsync(step.User ?? "(unknown)", "AUTH " + _saslName).ConfigureAwait(false);
                return;
        }
    }

    private static byte[]? DecodeBase64(string text)
    {
        try
        {
            return Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
