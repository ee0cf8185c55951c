using System.Net.Sockets;
using System.Text;

namespace PopGate.Testing;

/// <summary>
/// A deliberately dumb IMAP exchange for launchers: sends one command line at a time and collects the lines up to
/// its tagged reply. No literals, no TLS; enough to log in as an admin and create mailboxes, independent of the
/// library under test.
/// </summary>
public sealed class ImapProbe : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;
    private int _tag;

    private ImapProbe(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _reader = new StreamReader(_stream, Encoding.Latin1);
    }

    /// <summary>The greeting line.</summary>
    public string Greeting { get; private set; } = string.Empty;

    public static async Task<ImapProbe> ConnectAsync(int port, TimeSpan timeout)
    {
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            await tcp.ConnectAsync("127.0.0.1", port, cts.Token).ConfigureAwait(false);
            var probe = new ImapProbe(tcp);
            probe.Greeting = await probe._reader.ReadLineAsync(cts.Token).ConfigureAwait(false) ?? string.Empty;
            return probe;
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>Sends "Tn command" and returns the untagged lines and the tagged one (last).</summary>
    public async Task<IReadOnlyList<string>> CommandAsync(string command, TimeSpan timeout)
    {
        var tag = "T" + ++_tag;
        using var cts = new CancellationTokenSource(timeout);
        await _stream.WriteAsync(Encoding.UTF8.GetBytes($"{tag} {command}\r\n"), cts.Token).ConfigureAwait(false);
        var lines = new List<string>();
        while (true)
        {
            var line = await _reader.ReadLineAsync(cts.Token).ConfigureAwait(false)
                ?? throw new IOException($"connection closed during '{command}'");
            lines.Add(line);
            if (line.StartsWith(tag + " ", StringComparison.Ordinal))
            {
                return lines;
            }
        }
    }

    /// <summary>Runs a command and throws unless its tagged reply is OK (or matches one of <paramref name="alsoFine"/>).</summary>
    public async Task<IReadOnlyList<string>> RequireOkAsync(string command, TimeSpan timeout, params string[] alsoFine)
    {
        var lines = await CommandAsync(command, timeout).ConfigureAwait(false);
        var last = lines[^1];
        var status = last[(last.IndexOf(' ', StringComparison.Ordinal) + 1)..];
        if (!status.StartsWith("OK", StringComparison.Ordinal)
            && !alsoFine.Any(f => status.Contains(f, StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException($"IMAP '{Redact(command)}' answered: {last}");
        }

        return lines;
    }

    private static string Redact(string command) =>
        command.StartsWith("LOGIN ", StringComparison.OrdinalIgnoreCase) ? "LOGIN ..." : command;

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _stream.WriteAsync("Z LOGOUT\r\n"u8.ToArray(), cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }

        _reader.Dispose();
        _tcp.Dispose();
    }
}
