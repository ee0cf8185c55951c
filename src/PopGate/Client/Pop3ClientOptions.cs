using PopGate.Protocol;

namespace PopGate.Client;

/// <summary>Limits, timeouts and behaviour of a <see cref="Pop3Client"/>. Immutable; share one instance freely.</summary>
public sealed record Pop3ClientOptions
{
    public static Pop3ClientOptions Default { get; } = new();

    /// <summary>Longest reply line accepted, CRLF included (RFC 2449: 512).</summary>
    public int MaxReplyLine { get; init; } = Pop3Limits.MaxResponseLine;

    /// <summary>Most lines accepted in one CAPA, LIST or UIDL listing.</summary>
    public int MaxListingLines { get; init; } = 1_000_000;

    /// <summary>Largest message body accepted from RETR or TOP, in octets after unstuffing.</summary>
    public long MaxMessageSize { get; init; } = 4L * 1024 * 1024 * 1024;

    /// <summary>TCP connect, TLS handshake and greeting, together.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the first line of a reply may take once the client waits for it.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a multi-line reply or an AUTH exchange may stall with no byte arriving.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Send CAPA as soon as the connection (and implicit TLS) is up, without waiting for the greeting: the two replies
    /// then share one round trip. Servers read commands sent early; one that drops them would make CAPA time out.
    /// </summary>
    public bool CapaWithGreeting { get; init; }

    /// <summary>
    /// Automatic login over TLS (or allowed cleartext) on a pipelining server uses USER/PASS or SASL PLAIN even when
    /// SCRAM-SHA-256 is offered, so that login travels with the commands queued after it. TLS already protects the
    /// password; SCRAM would add two round trips.
    /// </summary>
    public bool PreferSingleTurnLogin { get; init; }

    public PipeliningMode Pipelining { get; init; } = PipeliningMode.Auto;

    /// <summary>Most commands written whose replies have not been read, when pipelining.</summary>
    public int MaxCommandsInFlight { get; init; } = 1000;

    /// <summary>Most reply octets expected in flight (LIST sizes of the RETRs written), when pipelining.</summary>
    /// <remarks>Large enough to keep a long fat link busy; one command is always allowed whatever its size.</remarks>
    public long MaxBytesInFlight { get; init; } = 64L * 1024 * 1024;

    /// <summary>
    /// After automatic authentication, ask CAPA again when the server did not announce PIPELINING before login:
    /// some (Gmail) announce it only to logged-in clients. One round trip, saved many times over when it pays.
    /// </summary>
    public bool RecheckCapabilitiesAfterLogin { get; init; } = true;

    public TlsSettings Tls { get; init; } = new();

    /// <summary>Let automatic authentication send a password over a connection without TLS.</summary>
    /// <remarks>An explicit <see cref="Pop3Client.LoginAsync"/> always sends what it is told to.</remarks>
    public bool AllowCleartextPasswords { get; init; }

    /// <summary>Receives the protocol dialogue with secrets masked, or null for none.</summary>
    public IPop3Transcript? Transcript { get; init; }

    /// <summary>The clock the timeouts run on.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Size of the socket read buffer.</summary>
    public int ReadBufferSize { get; init; } = 64 * 1024;
}
