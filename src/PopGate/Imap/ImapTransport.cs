using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;

namespace PopGate.Imap;

/// <summary>
/// The bytes under the protocol: a TCP connection (or any stream, for tests), optionally TLS, seen as a
/// <see cref="PipeReader"/> and a <see cref="PipeWriter"/>. STARTTLS swaps the pipes for new ones over TLS.
/// </summary>
internal sealed class ImapTransport : IAsyncDisposable
{
    private const int BufferSize = 64 * 1024;

    private readonly Socket? _socket;
    private readonly ImapLimits _limits;
    private Stream _stream;

    private ImapTransport(Socket? socket, Stream stream, ImapLimits limits)
    {
        _socket = socket;
        _stream = stream;
        _limits = limits;
        CreatePipes();
    }

    public PipeReader Input { get; private set; } = null!;

    public PipeWriter Output { get; private set; } = null!;

    public ImapResponseReader Reader { get; private set; } = null!;

    public bool IsTls => _stream is SslStream;

    public static async Task<ImapTransport> ConnectAsync(ImapConnectionOptions options, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(options.ConnectTimeout);
                try
                {
                    await socket.ConnectAsync(options.Host, options.EffectivePort, timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new ImapProtocolException($"connecting to {options.Host}:{options.EffectivePort} timed out", e);
                }
                catch (SocketException e)
                {
                    throw new ImapProtocolException($"cannot connect to {options.Host}:{options.EffectivePort}: {e.Message}", e);
                }
            }

            var transport = new ImapTransport(socket, new QuickAckStream(socket), options.Limits);
            if (options.Security == ImapSecurity.Ssl)
            {
                await transport.StartTlsAsync(options, cancellationToken).ConfigureAwait(false);
            }

            return transport;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Over an already open stream (tests replaying a server).</summary>
    public static async Task<ImapTransport> OverStreamAsync(Stream stream, ImapConnectionOptions options, CancellationToken cancellationToken)
    {
        var transport = new ImapTransport(null, stream, options.Limits);
        if (options.Security == ImapSecurity.Ssl)
        {
            await transport.StartTlsAsync(options, cancellationToken).ConfigureAwait(false);
        }

        return transport;
    }

    /// <summary>Puts TLS under the protocol: at connect for IMAPS, or after STARTTLS's OK.</summary>
    public async Task StartTlsAsync(ImapConnectionOptions options, CancellationToken cancellationToken)
    {
        if (Reader.Buffered > 0)
        {
            // Bytes the server sent before the handshake would be taken as protected: an injection attempt.
            throw new ImapProtocolException("the server sent data after the STARTTLS reply, before TLS started");
        }

        Reader.Release();
        await Input.CompleteAsync().ConfigureAwait(false);
        await Output.CompleteAsync().ConfigureAwait(false);
        var tls = new SslStream(_stream, leaveInnerStreamOpen: false, ImapCertificateCheck.For(options));
        _stream = tls;
        CreatePipes();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        try
        {
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions { TargetHost = options.TlsName },
                timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ImapProtocolException("the TLS handshake timed out", e);
        }
        catch (Exception e) when (e is System.Security.Authentication.AuthenticationException or IOException)
        {
            throw new ImapProtocolException("TLS with the server failed: " + e.Message, e);
        }
    }

    private void CreatePipes()
    {
        Input = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: BufferSize, minimumReadSize: 4096, leaveOpen: true));
        Output = PipeWriter.Create(_stream, new StreamPipeWriterOptions(minimumBufferSize: 4096, leaveOpen: true));
        Reader = new ImapResponseReader(Input, _limits);
    }

    /// <summary>Sends what was written, waiting at most the write timeout for the server to take it.</summary>
    public async ValueTask FlushAsync(IoTimer timer)
    {
        try
        {
            var result = await Output.FlushAsync(timer.Restart()).ConfigureAwait(false);
            timer.Pause();
            if (result.IsCanceled)
            {
                throw new ImapProtocolException("writing to the server was cancelled");
            }
        }
        catch (OperationCanceledException e)
        {
            throw timer.Translate(e, "the server to take our data");
        }
        catch (IOException e)
        {
            throw new ImapProtocolException("connection to the server failed: " + e.Message, e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Reader.Release();
        await Input.CompleteAsync().ConfigureAwait(false);
        await Output.CompleteAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        _socket?.Dispose();
    }
}
