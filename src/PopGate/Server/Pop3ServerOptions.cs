using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace PopGate.Server;

/// <summary>One address the server listens on.</summary>
/// <param name="EndPoint">Address and port; port 0 picks a free one (see <see cref="Pop3Server.EndPoints"/>).</param>
/// <param name="ImplicitTls">TLS from the first byte (port 995 style) instead of STLS on demand.</param>
public sealed record ListenerOptions(IPEndPoint EndPoint, bool ImplicitTls = false);

/// <summary>When USER/PASS, AUTH PLAIN and AUTH LOGIN may be used without TLS.</summary>
public enum PlaintextAuthPolicy
{
    /// <summary>Over TLS, or from a loopback address (the default).</summary>
    LoopbackOrTls,

    /// <summary>Only over TLS.</summary>
    TlsOnly,

    /// <summary>Always (for trusted networks only).</summary>
    Always,
}

/// <summary>Everything the POP3 server is told at start-up. Immutable; defaults are safe for the open internet.</summary>
public sealed record Pop3ServerOptions
{
    public IReadOnlyList<ListenerOptions> Listeners { get; init; } = [new(new IPEndPoint(IPAddress.Loopback, 110))];

    /// <summary>Certificate for STLS and implicit-TLS listeners; without one, STLS is not offered.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>Host name in the greeting's APOP timestamp.</summary>
    public string HostName { get; init; } = Dns.GetHostName();

    public PlaintextAuthPolicy PlaintextAuth { get; init; } = PlaintextAuthPolicy.LoopbackOrTls;

    /// <summary>RFC 1939 asks for at least 10 minutes before an idle session is closed.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(10);

    public TimeSpan TlsHandshakeTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Upper bound on the deletions at QUIT, so a stuck store cannot hold a session forever.</summary>
    public TimeSpan CommitTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public int MaxConnections { get; init; } = 1000;

    public int MaxConnectionsPerAddress { get; init; } = 20;

    /// <summary>Longest command line, CRLF excluded (RFC 2449: 255 octets).</summary>
    public int MaxCommandLine { get; init; } = 255;

    /// <summary>Longest SASL response line (tokens such as OAuth2's are long).</summary>
    public int MaxSaslLine { get; init; } = 16 * 1024;

    /// <summary>Erroneous commands allowed in one session before it is closed.</summary>
    public int MaxErrors { get; init; } = 10;

    /// <summary>Failed logins allowed in one session before it is closed.</summary>
    public int MaxAuthFailures { get; init; } = 3;

    /// <summary>First delay after a failed login from an address; it doubles with each further failure.</summary>
    public TimeSpan AuthFailureDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest delay after failed logins.</summary>
    public TimeSpan MaxAuthFailureDelay { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>RFC 2449 LOGIN-DELAY: minimum time between two logins of one user; zero for none.</summary>
    public TimeSpan LoginDelay { get; init; } = TimeSpan.Zero;

    /// <summary>Messages are flushed to the network once this many bytes are waiting.</summary>
    public int FlushThreshold { get; init; } = 64 * 1024;

    public string ImplementationName { get; init; } = "PopGate";
}
