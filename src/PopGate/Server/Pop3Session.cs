using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using Microsoft.Extensions.Logging;
using PopGate.Protocol;
using PopGate.Stores;

namespace PopGate.Server;

/// <summary>
/// One POP3 conversation: reads command lines, answers them in order, and flushes once no further pipelined
/// command is waiting. The maildrop is committed only by QUIT; any other end of the session leaves it unchanged.
/// </summary>
internal sealed partial class Pop3Session
{
    private readonly ServerContext _server;
    private readonly Pop3Transport _transport;
    private readonly CancellationToken _shutdown;
    private readonly string _apopTimestamp;
    private SessionState _state = SessionState.Authorization;
    private int _errors;
    private bool _close;
    private bool _startTls;

    public Pop3Session(ServerContext server, Pop3Transport transport, long id, CancellationToken shutdown)
    {
        _server = server;
        _transport = transport;
        _shutdown = shutdown;
        Id = id;
        _apopTimestamp = $"<{Environment.ProcessId}.{id}.{Random.Shared.NextInt64():x}@{server.Options.HostName}>";
    }

    public long Id { get; }

    private Pop3ServerOptions Options => _server.Options;

    private PipeWriter Output => _transport.Output;

    private IPAddress Remote => _transport.RemoteAddress;

    public async Task RunAsync()
    {
        try
        {
            Output.Ok($"{Options.ImplementationName} ready {_apopTimestamp}");
            await FlushAsync().ConfigureAwait(false);
            await ReadCommandsAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
        {
            Log.ConnectionLost(_server.Logger, Id, e.GetType().Name, e.Message);
        }
        finally
        {
            await ReleaseMaildropAsync().ConfigureAwait(false);
        }
    }

    private async Task ReadCommandsAsync()
    {
        var discarding = false;
        while (!_close)
        {
            var input = _transport.Input;
            ReadResult read;
            using (var idle = CancellationTokenSource.CreateLinkedTokenSource(_shutdown))
            {
                idle.CancelAfter(Options.IdleTimeout);
                try
                {
                    read = await input.ReadAsync(idle.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    Output.Err(null, _shutdown.IsCancellationRequested ? "server shutting down" : "autologout: idle for too long");
                    await FlushAsync().ConfigureAwait(false);
                    return;
                }
            }

            var buffer = read.Buffer;
            while (!_close && !_startTls)
            {
                if (discarding)
                {
                    var lf = buffer.PositionOf((byte)'\n');
                    if (lf is null)
                    {
                        buffer = buffer.Slice(buffer.End);
                        break;
                    }

                    buffer = buffer.Slice(buffer.GetPosition(1, lf.Value));
                    discarding = false;
                    continue;
                }

                var limit = _sasl is null ? Options.MaxCommandLine : Options.MaxSaslLine;
                var status = LineReader.TryRead(ref buffer, limit, out var line);
                if (status == LineStatus.NeedMore)
                {
                    break;
                }

                if (status is LineStatus.TooLong or LineStatus.Overflow)
                {
                    // Without a line end yet, the rest of this line is still to come and must be skipped.
                    discarding = status == LineStatus.Overflow;
                    _sasl = null;
                    Error(null, "line too long");
                    continue;
                }

                _queued = buffer;
                await HandleLineAsync(line).ConfigureAwait(false);
            }

            _queued = default;
            input.AdvanceTo(buffer.Start, buffer.End);
            if (_startTls)
            {
                await StartTlsAsync().ConfigureAwait(false);
                continue;
            }

            // Pipelined commands still on the wire are answered before anything is flushed.
            if (_close || !_transport.HasPendingInput || Output.UnflushedBytes >= Options.FlushThreshold)
            {
                await FlushAsync().ConfigureAwait(false);
            }

            if (read.IsCompleted && !_close)
            {
                return;
            }
        }
    }

    private async ValueTask HandleLineAsync(ReadOnlySequence<byte> line)
    {
        if (_sasl is not null)
        {
            await ContinueSaslAsync(line).ConfigureAwait(false);
            return;
        }

        if (Pop3Command.Parse(line) is not { } command || command.Verb.Length == 0)
        {
            Error(null, "malformed command");
            return;
        }

        await DispatchAsync(command).ConfigureAwait(false);
    }

    /// <summary>The state table of RFC 1939 plus the extensions: each command, the states it is valid in, its handler.</summary>
    private ValueTask DispatchAsync(Pop3Command command)
    {
        var state = _state;
        return (command.Verb, state) switch
        {
            ("CAPA", _) => Done(Capa()),
            ("QUIT", _) => QuitAsync(),
            ("USER", SessionState.Authorization) => Done(User(command)),
            ("PASS", SessionState.Authorization) => PassAsync(command),
            ("APOP", SessionState.Authorization) => ApopAsync(command),
            ("AUTH", SessionState.Authorization) => AuthAsync(command),
            ("STLS", SessionState.Authorization) => Done(Stls(command)),
            ("UTF8", SessionState.Authorization) => Done(Utf8(command)),
            ("STAT", SessionState.Transaction) => Done(Stat(command)),
            ("LIST", SessionState.Transaction) => ListAsync(command, uidl: false),
            ("UIDL", SessionState.Transaction) => ListAsync(command, uidl: true),
            ("RETR", SessionState.Transaction) => RetrAsync(command, top: false),
            ("TOP", SessionState.Transaction) => RetrAsync(command, top: true),
            ("DELE", SessionState.Transaction) => Done(Dele(command)),
            ("RSET", SessionState.Transaction) => Done(Rset(command)),
            ("NOOP", SessionState.Transaction) => Done(Noop(command)),
            ("USER" or "PASS" or "APOP" or "AUTH" or "STLS" or "UTF8", _) => Done(Error(null, $"{command.Verb} is only valid before login")),
            ("STAT" or "LIST" or "UIDL" or "RETR" or "TOP" or "DELE" or "RSET" or "NOOP", _) => Done(Error(null, $"{command.Verb} is only valid after login")),
            _ => Done(Error(null, "unknown command")),
        };
    }

    private static ValueTask Done(bool _) => ValueTask.CompletedTask;

    /// <summary>Answers -ERR and counts the error; too many errors end the session.</summary>
    private bool Error(string? code, string text)
    {
        Output.Err(code, text);
        if (++_errors >= Options.MaxErrors)
        {
            Output.Err(null, "too many errors, closing");
            _close = true;
        }

        return false;
    }

    /// <summary>Sends what is buffered; a client that stops reading for the idle time is cut off.</summary>
    private async ValueTask FlushAsync()
    {
        using var timeout = new CancellationTokenSource(Options.IdleTimeout);
        var result = await Output.FlushAsync(timeout.Token).ConfigureAwait(false);
        if (result.IsCompleted)
        {
            _close = true;
        }
    }
}
