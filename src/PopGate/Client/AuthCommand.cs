using System.Text;
using PopGate.Protocol;
using PopGate.Sasl;

namespace PopGate.Client;

/// <summary>
/// AUTH (RFC 5034): the command with its initial response when the line fits 255 octets, then challenge and
/// response lines until +OK or -ERR. A barrier: nothing else is written while the exchange runs.
/// </summary>
internal sealed class AuthCommand : PendingCommand<Pop3Reply>
{
    private readonly ISaslClientMechanism _mechanism;
    private readonly byte[]? _unsentInitial;
    private readonly Action<Pop3Reply>? _onSuccess;

    private AuthCommand(ISaslClientMechanism mechanism, string line, string transcript, byte[]? unsentInitial, Action<Pop3Reply>? onSuccess, CancellationToken cancellationToken)
        : base("AUTH", line, transcript, 0, cancellationToken)
    {
        _mechanism = mechanism;
        _unsentInitial = unsentInitial;
        _onSuccess = onSuccess;
    }

    public override bool IsBarrier => true;

    public static AuthCommand Create(ISaslClientMechanism mechanism, Action<Pop3Reply>? onSuccess, CancellationToken cancellationToken)
    {
        var initial = mechanism.GetInitialResponse();
        var bare = $"AUTH {mechanism.Name}";
        if (initial is null)
        {
            return new AuthCommand(mechanism, bare, bare, null, onSuccess, cancellationToken);
        }

        // RFC 5034: a zero-length initial response is sent as "="; one that would push the line past 255 octets
        // is not sent with the command but in answer to the server's empty challenge.
        var encoded = initial.Length == 0 ? "=" : Convert.ToBase64String(initial);
        var full = $"{bare} {encoded}";
        return full.Length + 2 <= Pop3Limits.MaxCommandLine
            ? new AuthCommand(mechanism, full, $"{bare} ********", null, onSuccess, cancellationToken)
            : new AuthCommand(mechanism, bare, bare, initial, onSuccess, cancellationToken);
    }

    public override async ValueTask ReadReplyAsync(ReplyReader replies)
    {
        var initialPending = _unsentInitial is not null;
        var timeout = replies.Options.CommandTimeout;
        while (true)
        {
            var reply = await replies.ReadStatusAsync(timeout).ConfigureAwait(false);
            timeout = replies.Options.IdleTimeout;
            switch (reply.Status)
            {
                case ReplyStatus.Ok:
                    if (!_mechanism.IsComplete)
                    {
                        throw new Pop3ProtocolException($"the server accepted {_mechanism.Name} without proving that it knows the password");
                    }

                    _onSuccess?.Invoke(reply);
                    Complete(reply);
                    return;
                case ReplyStatus.Error:
                    Fail(new Pop3CommandException($"AUTH {_mechanism.Name}", reply.ResponseCode, reply.Text));
                    return;
            }

            byte[] response;
            try
            {
                var challenge = DecodeChallenge(reply.Text);
                if (initialPending)
                {
                    initialPending = false;
                    response = _unsentInitial!;
                }
                else
                {
                    response = _mechanism.EvaluateChallenge(challenge);
                }
            }
            catch (SaslException e)
            {
                await AbortAsync(replies).ConfigureAwait(false);
                throw new Pop3ProtocolException($"{_mechanism.Name} authentication failed: {e.Message}");
            }

            var text = Convert.ToBase64String(response);
            await replies.SendContinuationAsync(Encoding.ASCII.GetBytes(text + "\r\n"), text.Length == 0 ? string.Empty : "********").ConfigureAwait(false);
        }
    }

    private static byte[] DecodeChallenge(string text)
    {
        if (text.Length == 0)
        {
            return [];
        }

        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new SaslException("the server's challenge is not base64");
        }
    }

    // RFC 5034: "*" cancels the exchange; the server then answers -ERR, which is read so the stream stays in step.
    private static async ValueTask AbortAsync(ReplyReader replies)
    {
        await replies.SendContinuationAsync("*\r\n"u8.ToArray(), "*").ConfigureAwait(false);
        await replies.ReadStatusAsync(replies.Options.IdleTimeout).ConfigureAwait(false);
    }
}
