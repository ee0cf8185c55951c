using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace PopGate.Server;

/// <summary>
/// The byte path of one connection: socket, then TLS (from the start or after STLS), then pipes the session reads
/// and writes. Upgrading to TLS replaces the pipes; anything the client sent after STLS is dropped with the old reader.
/// </summary>
internal sealed class Pop3Transport : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _network;
    private Stream _stream;

    public Pop3Transport(Socket socket)
    {
        _socket = socket;
        _socket.NoDelay = true;
        _network = new NetworkStream(socket, ownsSocket: true);
        _stream = _network;
        (Input, Output) = CreatePipes(_stream);
        RemoteAddress = (socket.RemoteEndPoint as IPEndPoint)?.Address.MapToIPv4IfMapped() ?? IPAddress.None;
    }

    public PipeReader Input { get; private set; }

    public PipeWriter Output { get; private set; }

    public IPAddress RemoteAddress { get; }

    public bool IsTls => _stream is SslStream;

    /// <summary>True when the client already sent more bytes than the pipe has read.</summary>
    public bool HasPendingInput
    {
        get
        {
            try
            {
                return _socket.Available > 0;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return false;
            }
        }
    }

    public SslProtocols TlsProtocol => (_stream as SslStream)?.SslProtocol ?? SslProtocols.None;

    /// <summary>Runs the TLS handshake as server and swaps the pipes onto the encrypted stream.</summary>
    public async ValueTask UpgradeToTlsAsync(X509Certificate2 certificate, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await Input.CompleteAsync().ConfigureAwait(false);
        await Output.CompleteAsync().ConfigureAwait(false);
        var tls = new SslStream(_network, leaveInnerStreamOpen: true);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        await tls.AuthenticateAsServerAsync(
            new SslServerAuthenticationOptions
            {
                ServerCertificate = certificate,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                ClientCertificateRequired = false,
            },
            cts.Token).ConfigureAwait(false);
        _stream = tls;
        (Input, Output) = CreatePipes(tls);
    }

    private static (PipeReader, PipeWriter) CreatePipes(Stream stream) =>
    (
        // Zero-byte reads keep no buffer rented while a session waits for its next command.
        PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 4096, minimumReadSize: 1024, leaveOpen: true, useZeroByteReads: true)),
        PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 16 * 1024, leaveOpen: true))
    );

    public async ValueTask DisposeAsync()
    {
        await Input.CompleteAsync().ConfigureAwait(false);
        await Output.CompleteAsync().ConfigureAwait(false);
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        if (_stream != _network)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }

        await _network.DisposeAsync().ConfigureAwait(false);
    }
}

internal static class AddressExtensions
{
    public static IPAddress MapToIPv4IfMapped(this IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
