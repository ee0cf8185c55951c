using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace PopGate.Testing;

/// <summary>
/// A deliberately dumb POP3 client for tests: sends exact bytes and reads exact lines, so tests see the server's
/// wire format without any client library in between.
/// </summary>
public sealed class RawPop3Client : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private Stream _stream;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private RawPop3Client(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

    public static async Task<RawPop3Client> ConnectAsync(int port, bool implicitTls = false)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        var client = new RawPop3Client(tcp);
        if (implicitTls)
        {
            await client.StartTlsAsync();
        }

        return client;
    }

    /// <summary>Wraps the connection in TLS, trusting any certificate (tests use self-signed ones).</summary>
    public async Task StartTlsAsync()
    {
        var tls = new SslStream(_stream, leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync("localhost");
        _stream = tls;
        _start = _end = 0;
    }

    public bool IsTls => _stream is SslStream;

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>Sends one command line (CRLF added) and returns the first reply line.</summary>
    public async Task<string> CommandAsync(string line)
    {
        await SendAsync(line + "\r\n");
        return await ReadLineAsync();
    }

    /// <summary>Reads one line without its CRLF; throws at end of stream.</summary>
    public async Task<string> ReadLineAsync() =>
        Encoding.UTF8.GetString(await ReadLineBytesAsync() ?? throw new EndOfStreamException("connection closed"));

    /// <summary>One line without its line end, or null when the server closed the connection.</summary>
    public async Task<byte[]?> ReadLineBytesAsync()
    {
        while (true)
        {
            var lf = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (lf >= 0)
            {
                var length = lf - _start;
                if (length > 0 && _buffer[lf - 1] == (byte)'\r')
                {
                    length--;
                }

                var line = _buffer.AsSpan(_start, length).ToArray();
                _start = lf + 1;
                return line;
            }

            if (!await FillAsync())
            {
                return null;
            }
        }
    }

    /// <summary>Reads the body of a multi-line reply and undoes the dot-stuffing; bytes are returned with CRLF.</summary>
    public async Task<byte[]> ReadMultiLineAsync()
    {
        var output = new MemoryStream();
        while (true)
        {
            var line = await ReadLineBytesAsync() ?? throw new EndOfStreamException("connection closed in a multi-line reply");
            if (line.Length == 1 && line[0] == (byte)'.')
            {
                return output.ToArray();
            }

            var start = line.Length > 0 && line[0] == (byte)'.' ? 1 : 0;
            output.Write(line, start, line.Length - start);
            output.Write("\r\n"u8);
        }
    }

    /// <summary>True when the server closed the connection (reads until end of stream).</summary>
    public async Task<bool> IsClosedAsync()
    {
        try
        {
            while (await ReadLineBytesAsync() is not null)
            {
            }

            return true;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private async Task<bool> FillAsync()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            throw new InvalidOperationException("line longer than the test client's buffer");
        }

        using var cts = new CancellationTokenSource(Timeout);
        var n = await _stream.ReadAsync(_buffer.AsMemory(_end), cts.Token);
        _end += n;
        return n > 0;
    }

    /// <summary>Drops the connection without QUIT.</summary>
    public void Abort()
    {
        _tcp.Client.LingerState = new LingerOption(true, 0);
        _tcp.Close();
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }
}
