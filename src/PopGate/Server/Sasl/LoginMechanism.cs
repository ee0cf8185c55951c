using System.Text;

namespace PopGate.Server.Sasl;

/// <summary>The LOGIN mechanism (draft-murchison-sasl-login): user name, then password, each prompted for.</summary>
internal sealed class LoginMechanism : ISaslMechanism
{
    private string? _user;

    public ValueTask<SaslStep> StepAsync(byte[]? response, CancellationToken cancellationToken)
    {
        if (response is null)
        {
            return ValueTask.FromResult(SaslStep.Send("Username:"u8.ToArray()));
        }

        if (_user is null)
        {
            _user = Encoding.UTF8.GetString(response);
            return ValueTask.FromResult(_user.Length == 0 ? SaslStep.Fail() : SaslStep.Send("Password:"u8.ToArray()));
        }

        return ValueTask.FromResult(new SaslStep(SaslStepKind.Password, User: _user, Password: Encoding.UTF8.GetString(response)));
    }
}
