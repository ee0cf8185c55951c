using System.Security.Cryptography;
using System.Text;
using PopGate.Sasl;

namespace PopGate.Client;

/// <summary>Capabilities, TLS and logging in.</summary>
public sealed partial class Pop3Client
{
    /// <summary>
    /// Asks CAPA and keeps the answer in <see cref="Capabilities"/>; a server without CAPA gives
    /// <see cref="Pop3Capabilities.None"/>. Enables pipelining when the server announces it.
    /// </summary>
    public async Task<Pop3Capabilities> CapaAsync(CancellationToken cancellationToken = default)
    {
        var command = new ListingCommand<string, Pop3Capabilities>(
            "CAPA",
            "CAPA",
            line => ServerText.Decode(line),
            (_, lines) =>
            {
                // Runs in the reading loop, so the window is resized before any later reply is read.
                _capabilities = new Pop3Capabilities(lines);
                ApplyWindow();
                return _capabilities;
            },
            cancellationToken);
        try
        {
            return await Enqueue(command).ConfigureAwait(false);
        }
        catch (Pop3CommandException)
        {
            _capabilities = Pop3Capabilities.None;
            ApplyWindow();
            return _capabilities;
        }
    }

    /// <summary>
    /// STLS (RFC 2595): upgrades the connection to TLS, checking the certificate as <see cref="Pop3ClientOptions.Tls"/>
    /// says, then asks CAPA again since the server may offer more once the link is protected.
    /// </summary>
    public async Task StlsAsync(CancellationToken cancellationToken = default)
    {
        var pipeline = Pipeline;
        if (Tls is not null)
        {
            throw new InvalidOperationException("the connection is already protected by TLS");
        }

        var host = Spec?.TlsHost ?? "localhost";
        var transport = _transport!;
        var command = new SingleLineCommand<Pop3Reply>(
            "STLS",
            "STLS",
            reply => reply,
            cancellationToken,
            barrier: true,
            inLoop: _ => new ValueTask(transport.StartTlsAsync(host, Options.Tls, cancellationToken)));
        try
        {
            await pipeline.Enqueue(command).ConfigureAwait(false);
        }
        catch (Pop3CommandException e)
        {
            throw new Pop3TlsException($"the server refused STLS: {e.ServerText}", e);
        }

        await CapaAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>UTF8 (RFC 6856): user names, passwords and replies in UTF-8 from here on.</summary>
    public Task Utf8Async(CancellationToken cancellationToken = default) =>
        Enqueue(new SingleLineCommand<Pop3Reply>("UTF8", "UTF8", reply => reply, cancellationToken));

    /// <summary>USER and PASS. Queued together: on a pipelining server they go out in one write.</summary>
    public Task LoginAsync(string user, string password, CancellationToken cancellationToken = default)
    {
        var userLine = CommandLine("USER", user);
        var passLine = CommandLine("PASS", password);
        var userTask = Enqueue(new SingleLineCommand<Pop3Reply>("USER", userLine, reply => reply, cancellationToken));
        var passTask = Enqueue(new SingleLineCommand<Pop3Reply>("PASS", passLine, reply => reply, cancellationToken,
            transcript: "PASS ********", inLoop: MarkAuthenticated));
        return BothAsync(userTask, passTask);
    }

    // USER's refusal is the one worth reporting; PASS then fails too and its error is observed here.
    private static async Task BothAsync(Task first, Task second)
    {
        try
        {
            await first.ConfigureAwait(false);
        }
        catch
        {
            await second.ContinueWith(static t => t.Exception, TaskScheduler.Default).ConfigureAwait(false);
            throw;
        }

        await second.ConfigureAwait(false);
    }

    /// <summary>APOP (RFC 1939 section 7): the MD5 of the greeting's timestamp and the password.</summary>
    public Task ApopAsync(string user, string password, CancellationToken cancellationToken = default)
    {
        var timestamp = Greeting?.ApopTimestamp ?? throw new NotSupportedException("the server's greeting has no APOP timestamp");
        var digest = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(timestamp + password)));
        var line = CommandLine("APOP", user, digest);
        return Enqueue(new SingleLineCommand<Pop3Reply>("APOP", line, reply => reply, cancellationToken,
            transcript: $"APOP {user} ********", inLoop: MarkAuthenticated));
    }

    /// <summary>AUTH with a SASL mechanism (RFC 5034).</summary>
    public Task AuthenticateAsync(ISaslClientMechanism mechanism, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mechanism);
        return Enqueue(AuthCommand.Create(mechanism, _ => _authenticated = true, cancellationToken));
    }

    /// <summary>
    /// Logs in with the best method the server offers for these credentials (see <see cref="AuthChooser"/>), or the
    /// one they force. When the server announced PIPELINING only after login, CAPA is asked again so later commands
    /// pipeline.
    /// </summary>
    public async Task AuthenticateAsync(Pop3Credentials credentials, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        if (!_handshake.IsCompleted)
        {
            await _handshake.ConfigureAwait(false);
        }

        var before = Capabilities;
        var method = AuthChooser.Choose(before, Greeting, credentials, Tls is not null, Options.AllowCleartextPasswords, Options.PreferSingleTurnLogin);
        await LoginWithAsync(method, credentials, cancellationToken).ConfigureAwait(false);
        if (Options.RecheckCapabilitiesAfterLogin && Options.Pipelining == PipeliningMode.Auto && before.Known && !before.Pipelining)
        {
            await CapaAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Logs in before the greeting and CAPA replies are in (see <see cref="ConnectAsync(ConnectionSpec, bool,
    /// CancellationToken)"/>), choosing the method from <paramref name="assumed"/>, the capabilities the server
    /// announced in an earlier session, when <see cref="CanLogInAhead"/> allows it: the login is written at once and
    /// commands queued after it follow in the same write. Otherwise it waits for <see cref="Handshake"/> and logs in as
    /// <see cref="AuthenticateAsync(Pop3Credentials, CancellationToken)"/> does (queue later commands only after that).
    /// A failed handshake is the error reported, since it explains the login's failure.
    /// </summary>
    public async Task AuthenticateAsync(Pop3Credentials credentials, Pop3Capabilities? assumed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        if (_handshake.IsCompleted || assumed is null || !CanLogInAhead(assumed, credentials))
        {
            await _handshake.ConfigureAwait(false);
            await AuthenticateAsync(credentials, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!_capabilities.Known)
        {
            Pipeline.SetWindow(Options.MaxCommandsInFlight, Options.MaxBytesInFlight);
            if (_capabilities.Known)
            {
                // CAPA was answered meanwhile: what it says wins over what was assumed.
                ApplyWindow();
            }
        }

        var method = AuthChooser.Choose(assumed, null, credentials, Tls is not null, Options.AllowCleartextPasswords, Options.PreferSingleTurnLogin);
        var login = LoginWithAsync(method, credentials, cancellationToken);
        try
        {
            await login.ConfigureAwait(false);
        }
        catch
        {
            await _handshake.ConfigureAwait(false);
            throw;
        }

        await _handshake.ConfigureAwait(false);
    }

    /// <summary>
    /// True when, by <paramref name="assumed"/> capabilities, these credentials log in with one command written ahead
    /// (USER/PASS, PLAIN or a bearer token) on a server that pipelines, so that the login can go out before the
    /// greeting is read. Challenge-response methods (and APOP, which needs the greeting) wait.
    /// </summary>
    public bool CanLogInAhead(Pop3Capabilities assumed, Pop3Credentials credentials)
    {
        ArgumentNullException.ThrowIfNull(assumed);
        ArgumentNullException.ThrowIfNull(credentials);
        if (!assumed.Known || Options.Pipelining == PipeliningMode.Never || !(assumed.Pipelining || Options.Pipelining == PipeliningMode.Always))
        {
            return false;
        }

        try
        {
            var method = AuthChooser.Choose(assumed, null, credentials, Tls is not null, Options.AllowCleartextPasswords, Options.PreferSingleTurnLogin);
            return method is AuthMethods.User or AuthMethods.Plain or AuthMethods.XOAuth2 or AuthMethods.OAuthBearer;
        }
        catch (Exception e) when (e is NotSupportedException or Pop3TlsException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The name of the method <see cref="AuthenticateAsync(Pop3Credentials, CancellationToken)"/> would use.</summary>
    public string ChooseAuthMethod(Pop3Credentials credentials) =>
        AuthChooser.Choose(Capabilities, Greeting, credentials, Tls is not null, Options.AllowCleartextPasswords, Options.PreferSingleTurnLogin);

    private Task LoginWithAsync(string method, Pop3Credentials credentials, CancellationToken cancellationToken)
    {
        var user = credentials.User;
        string Secret() => credentials.Password ?? credentials.OAuthToken
            ?? throw new ArgumentException("the credentials carry neither a password nor a token", nameof(credentials));
        string Token() => credentials.OAuthToken ?? credentials.Password
            ?? throw new ArgumentException("the credentials carry no OAuth token", nameof(credentials));

        return method switch
        {
            AuthMethods.User => LoginAsync(user, Secret(), cancellationToken),
            AuthMethods.Apop => ApopAsync(user, Secret(), cancellationToken),
            AuthMethods.Plain => AuthenticateAsync(new SaslPlainClient(user, Secret()), cancellationToken),
            AuthMethods.Login => AuthenticateAsync(new SaslLoginClient(user, Secret()), cancellationToken),
            AuthMethods.CramMd5 => AuthenticateAsync(new CramMd5Client(user, Secret()), cancellationToken),
            AuthMethods.ScramSha256 => AuthenticateAsync(new ScramSha256Client(user, Secret()), cancellationToken),
            AuthMethods.XOAuth2 => AuthenticateAsync(new XOAuth2Client(user, Token()), cancellationToken),
            AuthMethods.OAuthBearer => AuthenticateAsync(
                new OAuthBearerClient(user, Token(), Spec?.Host ?? "localhost", Spec?.Port ?? ConnectionSpec.TlsPort), cancellationToken),
            _ => throw new NotSupportedException($"unknown login method '{method}'; use one of {string.Join(", ", AuthMethods.All)}"),
        };
    }

    private ValueTask MarkAuthenticated(Pop3Reply reply)
    {
        _authenticated = true;
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// QUIT: the server deletes the messages marked with DELE and closes the connection. A -ERR here (RFC 2449
    /// [SYS/TEMP] and the like) means the deletions may not have happened.
    /// </summary>
    public async Task QuitAsync(CancellationToken cancellationToken = default)
    {
        var pipeline = Pipeline;
        var command = new SingleLineCommand<Pop3Reply>("QUIT", "QUIT", reply => reply, cancellationToken, barrier: true,
            inLoop: _ =>
            {
                pipeline.MarkClosed("the session was ended with QUIT");
                return ValueTask.CompletedTask;
            });
        try
        {
            await Enqueue(command).ConfigureAwait(false);
        }
        finally
        {
            await pipeline.CloseAsync("the session was ended with QUIT").ConfigureAwait(false);
        }
    }
}
