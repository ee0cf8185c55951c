using System.Security.Cryptography;
using System.Text;
using PopGate.Protocol;
using PopGate.Stores;

namespace PopGate.Server;

/// <summary>The AUTHORIZATION state: CAPA, USER/PASS, APOP, STLS, UTF8 and the way into TRANSACTION.</summary>
internal sealed partial class Pop3Session
{
    private string? _pendingUser;
    private int _authFailures;

    /// <summary>True when USER/PASS, PLAIN and LOGIN may be used on this connection.</summary>
    private bool PlaintextAllowed => Options.PlaintextAuth switch
    {
        PlaintextAuthPolicy.Always => true,
        PlaintextAuthPolicy.TlsOnly => _transport.IsTls,
        _ => _transport.IsTls || System.Net.IPAddress.IsLoopback(Remote),
    };

    private bool StlsAvailable => Options.Certificate is not null && !_transport.IsTls;

    private bool Capa()
    {
        Output.Ok("Capability list follows");
        Output.Line("TOP");
        Output.Line("UIDL");
        Output.Line("PIPELINING");
        Output.Line("RESP-CODES");
        Output.Line("AUTH-RESP-CODE");
        Output.Line("EXPIRE NEVER");
        Output.Line($"LOGIN-DELAY {(int)Options.LoginDelay.TotalSeconds}");
        if (_state == SessionState.Authorization)
        {
            if (PlaintextAllowed)
            {
                Output.Line("USER");
            }

            Output.Line("SASL " + string.Join(' ', SaslMechanisms()));
            if (StlsAvailable)
            {
                Output.Line("STLS");
            }

            Output.Line("UTF8 USER");
        }

        Output.Line($"IMPLEMENTATION {Options.ImplementationName}");
        Output.End();
        return true;
    }

    private bool User(Pop3Command command)
    {
        if (!PlaintextAllowed)
        {
            return Error(ResponseCodes.Auth, "plaintext authentication is disallowed without TLS; use STLS");
        }

        if (command.Arguments.Length == 0)
        {
            return Error(null, "USER needs a user name");
        }

        _pendingUser = command.Arguments;
        Output.Ok("send your password");
        return true;
    }

    private async ValueTask PassAsync(Pop3Command command)
    {
        var user = _pendingUser;
        _pendingUser = null;
        if (user is null)
        {
            Error(null, "USER first");
            return;
        }

        if (!PlaintextAllowed)
        {
            Error(ResponseCodes.Auth, "plaintext authentication is disallowed without TLS; use STLS");
            return;
        }

        await LoginWithPasswordAsync(user, command.Arguments).ConfigureAwait(false);
    }

    private async ValueTask ApopAsync(Pop3Command command)
    {
        var parts = command.Split();
        if (parts.Length != 2 || parts[1].Length != 32)
        {
            Error(null, "APOP needs a user name and a 32-digit digest");
            return;
        }

        var account = await _server.Accounts.FindAsync(parts[0], _shutdown).ConfigureAwait(false);
        var secret = account is { AllowApop: true } ? account.Credentials?.ClearPassword : null;
        if (account is null || secret is null)
        {
            await FailLoginAsync(parts[0], "APOP").ConfigureAwait(false);
            return;
        }

        var expected = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(_apopTimestamp + secret)));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(parts[1].ToLowerInvariant())))
        {
            await FailLoginAsync(parts[0], "APOP").ConfigureAwait(false);
            return;
        }

        await OpenMaildropAsync(account, null, "APOP").ConfigureAwait(false);
    }

    private bool Stls(Pop3Command command)
    {
        if (!StlsAvailable)
        {
            return Error(null, _transport.IsTls ? "already using TLS" : "TLS is not available");
        }

        if (command.Arguments.Length != 0)
        {
            return Error(null, "STLS takes no argument");
        }

        Output.Ok("begin TLS negotiation");
        _startTls = true;
        return true;
    }

    private async ValueTask StartTlsAsync()
    {
        _startTls = false;
        await FlushAsync().ConfigureAwait(false);
        await _transport.UpgradeToTlsAsync(Options.Certificate!, Options.TlsHandshakeTimeout, _shutdown).ConfigureAwait(false);

        // RFC 2595: forget what was learned before the handshake.
        _pendingUser = null;
    }

    private bool Utf8(Pop3Command command)
    {
        if (command.Arguments.Length != 0)
        {
            return Error(null, "UTF8 takes no argument");
        }

        // User names, passwords and messages are 8-bit clean here already; the command only confirms it (RFC 6856).
        Output.Ok("UTF8 enabled");
        return true;
    }

    /// <summary>Checks a password given in clear (PASS, PLAIN, LOGIN) and opens the maildrop.</summary>
    private async ValueTask LoginWithPasswordAsync(string user, string password, string method = "USER")
    {
        var account = await _server.Accounts.FindAsync(user, _shutdown).ConfigureAwait(false);
        if (account is null || (account.Credentials is { } check && !check.Verify(password)))
        {
            await FailLoginAsync(user, method).ConfigureAwait(false);
            return;
        }

        await OpenMaildropAsync(account, password, method).ConfigureAwait(false);
    }

    private async ValueTask OpenMaildropAsync(Account account, string? password, string method)
    {
        if (!_server.LoginDelays.TryLogin(account.Name))
        {
            Error(ResponseCodes.LoginDelay, "logged in too recently; try again later");
            return;
        }

        try
        {
            _maildrop = await account.Store.OpenAsync(new MaildropRequest(account.Name, password), _shutdown).ConfigureAwait(false);
        }
        catch (MaildropException e) when (e.Code == ResponseCodes.Auth)
        {
            await FailLoginAsync(account.Name, method).ConfigureAwait(false);
            return;
        }
        catch (MaildropException e)
        {
            Log.MaildropUnavailable(_server.Logger, Id, account.Name, e.Code, e.Message);
            Error(e.Code, e.Message);
            return;
        }

        _server.Throttle.RecordSuccess(Remote);
        _user = account.Name;
        _deleted = new bool[_maildrop.Messages.Count];
        _state = SessionState.Transaction;
        var (count, octets) = Totals();
        Log.LoggedIn(_server.Logger, Id, account.Name, method, count);
        Output.Ok($"{account.Name} has {count} messages ({octets} octets)");
    }

    private async ValueTask FailLoginAsync(string user, string method)
    {
        _server.Throttle.RecordFailure(Remote);
        var delay = _server.Throttle.DelayFor(Remote);
        Log.LoginFailed(_server.Logger, Id, user, method, Remote.ToString());
        await Task.Delay(delay, _server.Time, _shutdown).ConfigureAwait(false);
        _authFailures++;
        Output.Err(ResponseCodes.Auth, "invalid user name or password");
        if (_authFailures >= Options.MaxAuthFailures)
        {
            Output.Err(null, "too many failed logins, closing");
            _close = true;
        }
    }
}
