using System.Text;
using PopGate.Protocol;

namespace PopGate.Client;

/// <summary>
/// An asynchronous POP3 client (RFC 1939, 2449, 2595, 5034, 6856) with pipelining.
/// </summary>
/// <remarks>
/// <para>
/// Every command method queues its command before it returns and hands back a task for the reply, so commands can
/// be issued without awaiting the previous ones: they are written ahead, within a window of commands and expected
/// reply octets, and their replies are read in order. Against a server that announces PIPELINING the window is
/// <see cref="Pop3ClientOptions.MaxCommandsInFlight"/>; otherwise it is one command, which is plain lock-step POP3.
/// Awaiting each call in turn gives the familiar one-command-at-a-time use.
/// </para>
/// <para>
/// A bulk download, in as few round trips as the server allows:
/// <code>
/// await using var client = new Pop3Client(options);
/// await client.ConnectAsync(ConnectionSpec.Parse("ssl:me@pop.example.com"), ct);    // greeting, TLS, CAPA
/// var login = client.AuthenticateAsync(credentials, ct);                            // USER+PASS pipelined when allowed
/// var uids = client.UidlAsync(ct);                                                  // sent with the login
/// var sizes = client.ListAsync(ct);                                                 // sizes feed the byte window
/// await login;
/// var byNumber = (await uids).ToDictionary(u => u.Number, u => u.Uid);
/// var deletions = new List&lt;Task&gt;();
/// var retrievals = (await sizes).Select(m => client.RetrAsync(m.Number, async (body, token) =>
/// {
///     await StoreAsync(byNumber[m.Number], body, token);   // streamed, in order, one message at a time
///     deletions.Add(client.DeleAsync(m.Number, ct));       // queued, not awaited here
///     return true;
/// }, ct)).ToList();
/// await Task.WhenAll(retrievals);
/// await Task.WhenAll(deletions);
/// await client.QuitAsync(ct);                                                       // deletions happen now
/// </code>
/// All RETRs are queued at once and the client keeps the window full while earlier bodies are still arriving;
/// each consumer runs as its body arrives, in order, and queues its DELE once the message is stored. Commands go
/// out in the order they were queued, so a DELE follows the RETRs queued before it: a downloader that wants DELEs
/// to travel between the RETRs queues RETRs a window at a time, adding one as each message is stored. A lost
/// connection fails every pending task and, since only QUIT makes deletions happen, deletes nothing.
/// </para>
/// <para>
/// Disposing without <see cref="QuitAsync"/> drops the connection, so the server deletes nothing.
/// </para>
/// </remarks>
public sealed partial class Pop3Client : IAsyncDisposable
{
    private readonly Dictionary<int, long> _sizes = new();
    private readonly Lock _sizesGate = new();
    private Pop3Transport? _transport;
    private CommandPipeline? _pipeline;
    private volatile bool _authenticated;
    private volatile Pop3Capabilities _capabilities = Pop3Capabilities.None;
    private Task _handshake = Task.CompletedTask;

    public Pop3Client(Pop3ClientOptions? options = null)
    {
        Options = options ?? Pop3ClientOptions.Default;
    }

    public Pop3ClientOptions Options { get; }

    /// <summary>The server's greeting, once connected.</summary>
    public Pop3Greeting? Greeting { get; private set; }

    /// <summary>The latest CAPA reply; <see cref="Pop3Capabilities.None"/> before CAPA or when the server has none.</summary>
    public Pop3Capabilities Capabilities => _capabilities;

    /// <summary>The TLS session, when the connection is protected.</summary>
    public TlsDetails? Tls => _transport?.Tls;

    /// <summary>Where this client connected, when it connected through a spec or host.</summary>
    public ConnectionSpec? Spec { get; private set; }

    public bool IsConnected => _pipeline is { Fault: null };

    public bool IsAuthenticated => _authenticated;

    /// <summary>True when commands are written ahead of replies.</summary>
    public bool IsPipelining => _pipeline is { Window: > 1 };

    /// <summary>Commands written whose replies have not been read yet.</summary>
    public int CommandsInFlight => _pipeline?.InFlight ?? 0;

    /// <summary>
    /// Completes once the greeting (and the CAPA written with it) has been answered; faults as
    /// <see cref="ConnectAsync(ConnectionSpec, CancellationToken)"/> would. Already complete after a connect that waited.
    /// </summary>
    public Task Handshake => _handshake;

    /// <summary>
    /// Connects as the spec says: TCP, implicit TLS or STLS, the greeting, then CAPA. The session is then ready to
    /// log in. STLS fails with <see cref="Pop3TlsException"/> when the server does not offer it.
    /// </summary>
    public Task ConnectAsync(ConnectionSpec spec, CancellationToken cancellationToken = default) =>
        ConnectAsync(spec, awaitGreeting: true, cancellationToken);

    /// <summary>
    /// As <see cref="ConnectAsync(ConnectionSpec, CancellationToken)"/>; with <paramref name="awaitGreeting"/> false,
    /// <see cref="Pop3ClientOptions.CapaWithGreeting"/> set and no STLS to negotiate, it returns as soon as the
    /// connection (and implicit TLS) is up and CAPA is written: the greeting and CAPA replies then complete
    /// <see cref="Handshake"/>, and a login given the capabilities of an earlier session
    /// (<see cref="AuthenticateAsync(Pop3Credentials, Pop3Capabilities?, CancellationToken)"/>) shares their round trip.
    /// </summary>
    public async Task ConnectAsync(ConnectionSpec spec, bool awaitGreeting, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        EnsureNotConnected();
        Spec = spec;
        using var timeout = new CancellationTokenSource(Options.ConnectTimeout, Options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var transport = await Pop3Transport.ConnectAsync(spec.Host, spec.Port, Options, linked.Token).ConfigureAwait(false);
            _transport = transport;
            if (spec.Security == ConnectionSecurity.Tls)
            {
                await transport.StartTlsAsync(spec.TlsHost, Options.Tls, linked.Token).ConfigureAwait(false);
            }

            if (!awaitGreeting && Options.CapaWithGreeting && spec.Security != ConnectionSecurity.StartTls)
            {
                // The greeting has its own timeout in StartAsync; the connect timeout ends with this method.
                _handshake = StartAsync(transport, capaWithGreeting: true, cancellationToken);
                Observe(_handshake);
                return;
            }

            _handshake = StartAsync(transport, Options.CapaWithGreeting, linked.Token);
            await _handshake.ConfigureAwait(false);
            if (!Options.CapaWithGreeting)
            {
                await CapaAsync(linked.Token).ConfigureAwait(false);
            }

            if (spec.Security == ConnectionSecurity.StartTls)
            {
                if (Capabilities.Known && !Capabilities.Stls)
                {
                    throw new Pop3TlsException($"{spec.Host} does not offer STLS; connect with ssl: or, knowingly, tcp:");
                }

                await StlsAsync(linked.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException e) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            await AbandonAsync().ConfigureAwait(false);
            throw new Pop3TimeoutException($"connecting to {spec.Host}:{spec.Port} took longer than {Options.ConnectTimeout.TotalSeconds:0.#} s", Options.ConnectTimeout, e);
        }
        catch
        {
            await AbandonAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Connects to a host and port, as <see cref="ConnectAsync(ConnectionSpec, CancellationToken)"/> does.</summary>
    public Task ConnectAsync(string host, int port, ConnectionSecurity security, CancellationToken cancellationToken = default) =>
        ConnectAsync(new ConnectionSpec(host, port, security), cancellationToken);

    /// <summary>
    /// Runs POP3 over a stream that is already connected (a test seam, or a tunnel): reads the greeting only.
    /// CAPA, STLS and login are left to the caller.
    /// </summary>
    public async Task ConnectAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        EnsureNotConnected();
        var transport = Pop3Transport.FromStream(stream, Options);
        _transport = transport;
        try
        {
            _handshake = StartAsync(transport, capaWithGreeting: false, cancellationToken);
            await _handshake.ConfigureAwait(false);
        }
        catch
        {
            await AbandonAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task StartAsync(Pop3Transport transport, bool capaWithGreeting, CancellationToken cancellationToken)
    {
        _pipeline = new CommandPipeline(transport, Options);
        ApplyWindow();
        if (capaWithGreeting && _pipeline.Window < 2)
        {
            // The greeting holds a place in the window though nothing is sent for it; CAPA's reply resizes the window.
            _pipeline.SetWindow(2, long.MaxValue);
        }

        var greeting = new SingleLineCommand<Pop3Reply>("the connection", null, reply => reply, cancellationToken);
        var greetingTask = _pipeline.Enqueue(greeting);
        var capa = capaWithGreeting ? CapaAsync(cancellationToken) : null;
        try
        {
            var reply = await greetingTask.WaitAsync(Options.ConnectTimeout, Options.TimeProvider, cancellationToken).ConfigureAwait(false);
            Greeting = new Pop3Greeting(reply.Text);
        }
        catch (TimeoutException e)
        {
            Observe(capa);
            throw new Pop3TimeoutException($"the server sent no greeting within {Options.ConnectTimeout.TotalSeconds:0.#} s", Options.ConnectTimeout, e);
        }
        catch
        {
            Observe(capa);
            throw;
        }

        if (capa is not null)
        {
            await capa.ConfigureAwait(false);
        }
    }

    private static void Observe(Task? task) =>
        task?.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    private void EnsureNotConnected()
    {
        if (_pipeline is not null)
        {
            throw new InvalidOperationException("this client is already connected; use a new one for another connection");
        }
    }

    private CommandPipeline Pipeline => _pipeline ?? throw new InvalidOperationException("connect first");

    private Task<T> Enqueue<T>(PendingCommand<T> command) => Pipeline.Enqueue(command);

    private void ApplyWindow()
    {
        var pipelined = Options.Pipelining switch
        {
            PipeliningMode.Always => true,
            PipeliningMode.Never => false,
            _ => _capabilities.Pipelining,
        };
        _pipeline?.SetWindow(pipelined ? Options.MaxCommandsInFlight : 1, pipelined ? Options.MaxBytesInFlight : long.MaxValue);
    }

    /// <summary>Builds a command line, refusing arguments that would break it (line ends, NUL, over 255 octets).</summary>
    private static string CommandLine(string verb, params string[] arguments)
    {
        foreach (var argument in arguments)
        {
            if (argument.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
            {
                throw new ArgumentException($"{verb} arguments must not contain line breaks or NUL");
            }
        }

        var line = arguments.Length == 0 ? verb : verb + " " + string.Join(' ', arguments);
        if (Encoding.UTF8.GetByteCount(line) + 2 > Pop3Limits.MaxCommandLine)
        {
            throw new ArgumentException($"the {verb} command would be longer than {Pop3Limits.MaxCommandLine} octets");
        }

        return line;
    }

    private async Task AbandonAsync()
    {
        if (_pipeline is not null)
        {
            await _pipeline.DisposeAsync().ConfigureAwait(false);
        }
        else if (_transport is not null)
        {
            await _transport.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Holds writing while commands are queued, until the returned value is disposed: they then leave in one write.
    /// For commands queued together without awaiting, such as login and the listing:
    /// <code>
    /// using (client.HoldWrites())
    /// {
    ///     login = client.AuthenticateAsync(credentials, ct);
    ///     uids = client.UidlAsync(ct);
    /// }
    /// </code>
    /// Never await a reply while holding: its command would not be sent.
    /// </summary>
    public IDisposable HoldWrites() => Pipeline.HoldWrites();

    /// <summary>Drops the connection without QUIT: nothing is deleted. Pending commands fail.</summary>
    public async ValueTask DisposeAsync()
    {
        await AbandonAsync().ConfigureAwait(false);
    }
}
