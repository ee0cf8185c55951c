using System.Globalization;
using PopGate.Protocol;
using PopGate.Stores;

namespace PopGate.Server;

/// <summary>The TRANSACTION state and QUIT's UPDATE: commands on the locked maildrop.</summary>
internal sealed partial class Pop3Session
{
    private IMaildrop? _maildrop;
    private bool[] _deleted = [];
    private string? _user;

    private IReadOnlyList<MessageEntry> Messages => _maildrop!.Messages;

    private (int Count, long Octets) Totals()
    {
        var count = 0;
        var octets = 0L;
        for (var i = 0; i < _deleted.Length; i++)
        {
            if (!_deleted[i])
            {
                count++;
                octets += Messages[i].Size;
            }
        }

        return (count, octets);
    }

    private bool Stat(Pop3Command command)
    {
        if (command.Arguments.Length != 0)
        {
            return Error(null, "STAT takes no argument");
        }

        var (count, octets) = Totals();
        Output.Ok($"{count} {octets}");
        return true;
    }

    private async ValueTask ListAsync(Pop3Command command, bool uidl)
    {
        var parts = command.Split();
        if (parts.Length > 1)
        {
            Error(null, $"{command.Verb} takes at most one argument");
            return;
        }

        if (parts.Length == 1)
        {
            if (TryMessage(parts[0], out var index))
            {
                Output.Ok($"{index + 1} {Describe(index, uidl)}");
            }

            return;
        }

        Output.Ok(uidl ? "unique-id listing follows" : "scan listing follows");
        for (var i = 0; i < _deleted.Length; i++)
        {
            if (!_deleted[i])
            {
                Output.Line($"{i + 1} {Describe(i, uidl)}");
                if (Output.UnflushedBytes >= Options.FlushThreshold)
                {
                    await FlushAsync().ConfigureAwait(false);
                }
            }
        }

        Output.End();
    }

    private string Describe(int index, bool uidl) =>
        uidl ? Messages[index].Uid : Messages[index].Size.ToString(CultureInfo.InvariantCulture);

    private async ValueTask RetrAsync(Pop3Command command, bool top)
    {
        var parts = command.Split();
        var lines = -1;
        if (parts.Length != (top ? 2 : 1))
        {
            Error(null, top ? "TOP needs a message number and a line count" : "RETR needs a message number");
            return;
        }

        if (top && !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out lines))
        {
            Error(null, "invalid line count");
            return;
        }

        if (!TryMessage(parts[0], out var index))
        {
            return;
        }

        if (!top)
        {
            AnnounceQueuedRetrs(index);
        }

        var sink = new StuffingSink(Output, top ? "top of message follows" : $"{Messages[index].Size} octets", lines, Options.FlushThreshold, Options.IdleTimeout);
        try
        {
            await _maildrop!.WriteMessageAsync(index, sink, top ? lines : null, _shutdown).ConfigureAwait(false);
        }
        catch (MaildropException e) when (!sink.Started)
        {
            Error(e.Code, e.Message);
            return;
        }
        catch (MaildropException e)
        {
            // Part of the message is on the wire: the reply cannot be ended cleanly, so the connection is.
            Log.TransferFailed(_server.Logger, Id, _user!, e.Message);
            _close = true;
            throw new IOException("message transfer failed: " + e.Message, e);
        }

        sink.Complete();
    }

    private bool Dele(Pop3Command command)
    {
        var parts = command.Split();
        if (parts.Length != 1)
        {
            return Error(null, "DELE needs a message number");
        }

        if (!TryMessage(parts[0], out var index))
        {
            return false;
        }

        _deleted[index] = true;
        Output.Ok($"message {index + 1} deleted");
        return true;
    }

    private bool Rset(Pop3Command command)
    {
        if (command.Arguments.Length != 0)
        {
            return Error(null, "RSET takes no argument");
        }

        Array.Clear(_deleted);
        var (count, octets) = Totals();
        Output.Ok($"maildrop has {count} messages ({octets} octets)");
        return true;
    }

    private bool Noop(Pop3Command command)
    {
        if (command.Arguments.Length != 0)
        {
            return Error(null, "NOOP takes no argument");
        }

        Output.Ok(string.Empty);
        return true;
    }

    /// <summary>Reads a message number; on failure the -ERR is already written.</summary>
    private bool TryMessage(string argument, out int index)
    {
        index = -1;
        if (!int.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1 || number > _deleted.Length)
        {
            return Error(null, "no such message");
        }

        if (_deleted[number - 1])
        {
            return Error(null, $"message {number} already deleted");
        }

        index = number - 1;
        return true;
    }

    private async ValueTask QuitAsync()
    {
        _close = true;
        if (_state != SessionState.Transaction)
        {
            Output.Ok("bye");
            return;
        }

        _state = SessionState.Update;
        var deleted = Enumerable.Range(0, _deleted.Length).Where(i => _deleted[i]).ToList();
        string? error = null;
        string? code = null;
        try
        {
            if (deleted.Count > 0)
            {
                // Deletions run to their end even when the server is stopping: only their own time limit applies.
                using var timeout = new CancellationTokenSource(Options.CommitTimeout);
                await _maildrop!.CommitAsync(deleted, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (MaildropException e)
        {
            (code, error) = (e.Code, e.Message);
        }
        catch (OperationCanceledException)
        {
            (code, error) = (ResponseCodes.SysTemp, "deleting messages took too long; some may remain");
        }

        // The maildrop is free before the client hears the answer, so it can log in again at once.
        await ReleaseMaildropAsync().ConfigureAwait(false);
        if (error is not null)
        {
            Output.Err(code, error);
            return;
        }

        Log.Committed(_server.Logger, Id, _user!, deleted.Count);
        Output.Ok($"bye ({deleted.Count} messages deleted, {_deleted.Length - deleted.Count} left)");
    }

    private async ValueTask ReleaseMaildropAsync()
    {
        if (_maildrop is { } maildrop)
        {
            _maildrop = null;
            await maildrop.DisposeAsync().ConfigureAwait(false);
        }
    }
}
