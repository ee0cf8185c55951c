using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace PopGate.Client;

/// <summary>
/// The byte layer under a client: a socket (or any stream), optionally wrapped in TLS, with a PipeReader and a
/// PipeWriter over it. STLS swaps both for new ones over the TLS stream.
/// </summary>
internal sealed class Pop3Transport : IAsyncDisposable
{
    private readonly Socket? _socket;
    private readonly int _readBufferSize;
    private Stream _stream;
    private int _disposed;

    private Pop3Transport(Stream stream, Socket? socket, int readBufferSize)
    {
        _stream = stream;
        _socket = socket;
        _readBufferSize = readBufferSize;
        (Input, Output) = CreatePipes(stream, readBufferSize);
    }

    public PipeReader Input { get; private set; }

    public PipeWriter Output { get; private set; }

    public TlsDetails? Tls { get; private set; }

    public static Pop3Transport FromStream(Stream stream, Pop3ClientOptions options) =>
        new(stream, socket: null, options.ReadBufferSize);

    /// <summary>Opens a TCP connection; errors become <see cref="Pop3ConnectionException"/>.</summary>
    public static async Task<Pop3Transport> ConnectAsync(string host, int port, Pop3ClientOptions options, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new Pop3ConnectionException(DescribeConnectFailure(host, port, e), e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new Pop3Transport(new NetworkStream(socket, ownsSocket: true), socket, options.ReadBufferSize);
    }

    internal static string DescribeConnectFailure(string host, int port, SocketException e) => e.SocketErrorCode switch
    {
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => $"cannot resolve host name '{host}'",
        SocketError.ConnectionRefused => $"connection refused by {host}:{port}",
        SocketError.NetworkUnreachable or SocketError.HostUnreachable => $"{host}:{port} is unreachable",
        SocketError.TimedOut => $"connecting to {host}:{port} timed out",
        _ => $"cannot connect to {host}:{port}: {e.Message}",
    };

    /// <summary>
    /// Runs the TLS handshake over the current stream. Anything the old reader had buffered is dropped: bytes sent
    /// before the handshake (after STLS's +OK) are not protected and must not be taken as replies.
    /// </summary>
    /// <remarks>
    /// Called from the reading loop. The old writer is left alone rather than completed: the writing loop may still
    /// be returning from the flush that sent STLS, and it holds nothing unsent.
    /// </remarks>
    public async Task StartTlsAsync(string targetHost, TlsSettings settings, CancellationToken cancellationToken)
    {
        await Input.CompleteAsync().ConfigureAwait(false);

        var check = new CertificateCheck(settings, targetHost);
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false, check.Validate);
        try
        {
            await ssl.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = targetHost,
                    EnabledSslProtocols = settings.Protocols,
                    CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (AuthenticationException e)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw new Pop3TlsException($"TLS with {targetHost} failed: {check.Failure ?? e.Message}", e);
        }
        catch (IOException e)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw new Pop3TlsException($"TLS with {targetHost} failed: the connection broke during the handshake ({e.Message})", e);
        }

        var certificate = ssl.RemoteCertificate!;
        var x509 = certificate as System.Security.Cryptography.X509Certificates.X509Certificate2
            ?? System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        Tls = new TlsDetails(
            ssl.SslProtocol,
            ssl.NegotiatedCipherSuite,
            targetHost,
            x509.Subject,
            x509.Issuer,
            new DateTimeOffset(x509.NotBefore.ToUniversalTime(), TimeSpan.Zero),
            new DateTimeOffset(x509.NotAfter.ToUniversalTime(), TimeSpan.Zero),
            check.Fingerprint ?? CertificateFingerprint.Sha256(x509),
            check.Errors);
        _stream = ssl;
        (Input, Output) = CreatePipes(ssl, _readBufferSize);
    }

    private static (PipeReader, PipeWriter) CreatePipes(Stream stream, int readBufferSize) =>
        (PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: readBufferSize, minimumReadSize: Math.Min(4096, readBufferSize), leaveOpen: true)),
         PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true)));

    /// <summary>Closes the connection at once; pending reads and writes fail.</summary>
    public void Abort()
    {
        try
        {
            _socket?.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        _socket?.Dispose();
        if (_socket is null)
        {
            _stream.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Abort();
        await _stream.DisposeAsync().ConfigureAwait(false);
    }
}
