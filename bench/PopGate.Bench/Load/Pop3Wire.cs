using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PopGate.Bench.Load;

/// <summary>The server answered something other than what the load client expected.</summary>
public sealed class LoadException(string message) : Exception(message);

/// <summary>
/// The load client's view of one POP3 connection: a socket and one receive buffer, nothing more. Lines are looked
/// at in place; strings are made only for errors, so the client costs little next to the server it measures.
/// A blocking connection does all its I/O on the calling thread (its methods complete synchronously): for one bulk
/// reader on a thread of its own, which then wakes once per arrival instead of going through the socket engine and
/// the thread pool, which matters when a server sends many small writes.
/// </summary>
public sealed class Pop3Wire : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer;
    private readonly bool _blocking;
    private int _start;
    private int _end;

    private Pop3Wire(Socket socket, int bufferSize, bool blocking)
    {
        _socket = socket;
        _buffer = new byte[bufferSize];
        _blocking = blocking;
    }

    /// <summary>Bytes received and not yet consumed.</summary>
    public ReadOnlySpan<byte> Pending => _buffer.AsSpan(_start, _end - _start);

    public static async Task<Pop3Wire> ConnectAsync(IPEndPoint server, int bufferSize, CancellationToken cancellationToken, bool blocking = false)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (blocking)
            {
                socket.ReceiveTimeout = socket.SendTimeout = 30_000;
                socket.Connect(server);
            }
            else
            {
                await socket.ConnectAsync(server, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new Pop3Wire(socket, bufferSize, blocking);
    }

    /// <summary>Connects, reads the greeting, and logs in with USER and PASS (one round trip each).</summary>
    public static async Task<Pop3Wire> LoginAsync(IPEndPoint server, LoginCommands login, int bufferSize, CancellationToken cancellationToken, bool blocking = false)
    {
        var wire = await ConnectAsync(server, bufferSize, cancellationToken, blocking).ConfigureAwait(false);
        try
        {
            await wire.ExpectOkAsync(null, cancellationToken).ConfigureAwait(false);
            await wire.ExpectOkAsync(login.User, cancellationToken).ConfigureAwait(false);
            await wire.ExpectOkAsync(login.Pass, cancellationToken).ConfigureAwait(false);
            return wire;
        }
        catch
        {
            await wire.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        while (!bytes.IsEmpty)
        {
            var sent = _blocking
                ? _socket.Send(bytes.Span, SocketFlags.None)
                : await _socket.SendAsync(bytes, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            bytes = bytes[sent..];
        }
    }

    /// <summary>Sends a command (or nothing, for the greeting) and checks that the one-line reply is +OK.</summary>
    public async ValueTask ExpectOkAsync(byte[]? command, CancellationToken cancellationToken)
    {
        if (command is not null)
        {
            await SendAsync(command, cancellationToken).ConfigureAwait(false);
        }

        var length = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
        var line = _buffer.AsSpan(_start, length);
        _start += length;
        if (!line.StartsWith("+OK"u8))
        {
            var what = command is null ? "greeting" : Encoding.ASCII.GetString(command.AsSpan(0, Math.Min(4, command.Length)));
            throw new LoadException($"{what}: {Encoding.UTF8.GetString(line).TrimEnd()}");
        }
    }

    /// <summary>Like <see cref="ExpectOkAsync"/>, and returns the reply's text after "+OK ".</summary>
    public async ValueTask<string> ExpectOkLineAsync(byte[] command, CancellationToken cancellationToken)
    {
        await SendAsync(command, cancellationToken).ConfigureAwait(false);
        var length = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
        var line = Encoding.UTF8.GetString(_buffer, _start, length).TrimEnd();
        _start += length;
        if (!line.StartsWith("+OK", StringComparison.Ordinal))
        {
            throw new LoadException($"{Encoding.ASCII.GetString(command).TrimEnd()}: {line}");
        }

        return line.Length > 4 ? line[4..] : string.Empty;
    }

    /// <summary>Reads the lines of a multi-line reply (after its +OK line) as text, dot-stuffing undone.</summary>
    public async Task<List<string>> ReadMultiLineAsync(CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        while (true)
        {
            var length = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            var line = _buffer.AsSpan(_start, length).TrimEnd("\r\n"u8);
            _start += length;
            if (line.SequenceEqual("."u8))
            {
                return lines;
            }

            lines.Add(Encoding.UTF8.GetString(line.StartsWith("."u8) ? line[1..] : line));
        }
    }

    /// <summary>Waits until the server closes the connection (after QUIT), so the TIME-WAIT stays on its side.</summary>
    public async ValueTask WaitClosedAsync(CancellationToken cancellationToken)
    {
        _start = _end = 0;
        while (await ReceiveAsync(_buffer.AsMemory(), cancellationToken).ConfigureAwait(false) > 0)
        {
        }
    }

    /// <summary>Marks pending bytes as consumed.</summary>
    public void Consume(int count) => _start += count;

    /// <summary>Receives more bytes after the pending ones; returns how many came (0: the server closed).</summary>
    public async ValueTask<int> FillAsync(CancellationToken cancellationToken)
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == _buffer.Length)
        {
            if (_start == 0)
            {
                throw new LoadException("a reply line is longer than the load client's buffer");
            }

            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        var received = await ReceiveAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        _end += received;
        return received;
    }

    /// <summary>Acknowledge received data at once (TCP_QUICKACK before every receive), as PopGate's IMAP client does:
    /// a server that writes without TCP_NODELAY (Cyrus) otherwise waits for the delayed ACK between pieces.</summary>
    public bool QuickAck { get; set; }

    private ValueTask<int> ReceiveAsync(Memory<byte> into, CancellationToken cancellationToken)
    {
        if (QuickAck)
        {
            _socket.SetRawSocketOption(6, 12, [1, 0, 0, 0]);
        }

        return ReceiveCoreAsync(into, cancellationToken);
    }

    private ValueTask<int> ReceiveCoreAsync(Memory<byte> into, CancellationToken cancellationToken) =>
        _blocking
            ? ValueTask.FromResult(_socket.Receive(into.Span, SocketFlags.None))
            : _socket.ReceiveAsync(into, SocketFlags.None, cancellationToken);

    /// <summary>Waits for a whole line; returns its length with the LF (the line starts at the pending bytes).</summary>
    private async ValueTask<int> ReadLineAsync(CancellationToken cancellationToken)
    {
        var searched = 0;
        while (true)
        {
            var lf = Pending[searched..].IndexOf((byte)'\n');
            if (lf >= 0)
            {
                return searched + lf + 1;
            }

            searched = _end - _start;
            if (await FillAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                throw new LoadException("the server closed the connection");
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>An account's USER and PASS command lines, encoded once.</summary>
public sealed class LoginCommands(string user, string password)
{
    public string Name { get; } = user;

    public byte[] User { get; } = Encoding.UTF8.GetBytes($"USER {user}\r\n");

    public byte[] Pass { get; } = Encoding.UTF8.GetBytes($"PASS {password}\r\n");
}
