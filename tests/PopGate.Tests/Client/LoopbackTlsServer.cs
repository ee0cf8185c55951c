using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace PopGate.Tests.Client;

/// <summary>
/// A POP3 server on 127.0.0.1 port 0 with a self-signed certificate for "localhost", for one connection: implicit
/// TLS, or STLS that sends extra bytes right after its +OK (which the client must drop, RFC 2595 / 8314 advice).
/// </summary>
internal sealed class LoopbackTlsServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly X509Certificate2 _certificate;
    private readonly Task _run;

    public LoopbackTlsServer(bool implicitTls)
    {
        _certificate = Create();
        Fingerprint = Convert.ToHexString(SHA256.HashData(_certificate.RawData));
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _run = Task.Run(() => ServeAsync(implicitTls));
    }

    public int Port { get; }

    public string Fingerprint { get; }

    public List<string> Received { get; } = [];

    private static X509Certificate2 Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null);
    }

    private async Task ServeAsync(bool implicitTls)
    {
        using var socket = await _listener.AcceptSocketAsync();
        Stream stream = new NetworkStream(socket, ownsSocket: false);
        try
        {
            if (implicitTls)
            {
                stream = await SecureAsync(stream);
                await WriteAsync(stream, "+OK secure from the start\r\n");
            }
            else
            {
                await WriteAsync(stream, "+OK plain for now\r\n");
                var reader = new LineSource(stream);
                while (await reader.ReadLineAsync() is { } line)
                {
                    Received.Add(line);
                    if (line == "CAPA")
                    {
                        await WriteAsync(stream, "+OK\r\nUSER\r\nSTLS\r\n.\r\n");
                    }
                    else if (line == "STLS")
                    {
                        // The injected line would be a reply to the next command if the client kept it.
                        await WriteAsync(stream, "+OK begin TLS\r\n-ERR injected before the handshake\r\n");
                        stream = await SecureAsync(stream);
                        break;
                    }
                }
            }

            var secure = new LineSource(stream);
            while (await secure.ReadLineAsync() is { } line)
            {
                Received.Add(line);
                var reply = line switch
                {
                    "CAPA" => "+OK\r\nUSER\r\nPIPELINING\r\n.\r\n",
                    "QUIT" => "+OK bye\r\n",
                    _ => "+OK\r\n",
                };
                await WriteAsync(stream, reply);
                if (line == "QUIT")
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or ObjectDisposedException)
        {
            // The client refused the certificate or went away: that is what some tests want.
        }
        finally
        {
            await stream.DisposeAsync();
        }
    }

    private async Task<Stream> SecureAsync(Stream stream)
    {
        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
        await ssl.AuthenticateAsServerAsync(_certificate);
        return ssl;
    }

    private static Task WriteAsync(Stream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _run.WaitAsync(TimeSpan.FromSeconds(10));
        _certificate.Dispose();
    }

    /// <summary>Reads CRLF lines one byte at a time, so nothing past a line is taken from the stream.</summary>
    private sealed class LineSource(Stream stream)
    {
        public async Task<string?> ReadLineAsync()
        {
            var line = new StringBuilder();
            var one = new byte[1];
            while (true)
            {
                if (await stream.ReadAsync(one) == 0)
                {
                    return null;
                }

                if (one[0] == (byte)'\n')
                {
                    return line.ToString().TrimEnd('\r');
                }

                line.Append((char)one[0]);
            }
        }
    }
}
