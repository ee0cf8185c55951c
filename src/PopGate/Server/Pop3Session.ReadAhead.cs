using System.Buffers;
using System.Buffers.Text;
using System.Text;
using PopGate.Stores;

namespace PopGate.Server;

/// <summary>Tells a maildrop that can fetch ahead which RETRs a pipelining client has already sent.</summary>
internal sealed partial class Pop3Session
{
    // A window of 64 RETRs is what pipelining clients use; looking further only costs time on every RETR.
    private const int MaxQueuedLines = 256;

    /// <summary>The input after the command being handled: pipelined commands not handled yet. Valid only while
    /// that command is handled (the pipe's buffer is released afterwards).</summary>
    private ReadOnlySequence<byte> _queued;

    private void AnnounceQueuedRetrs(int current)
    {
        if (_maildrop is not IReadAhead ahead || _queued.IsEmpty)
        {
            return;
        }

        var reader = new SequenceReader<byte>(_queued);
        List<int>? upcoming = null;
        for (var n = 0; n < MaxQueuedLines && reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n'); n++)
        {
            if (TryRetrNumber(line, out var number) && number <= _deleted.Length && !_deleted[number - 1] && number - 1 != current)
            {
                (upcoming ??= []).Add(number - 1);
            }
        }

        if (upcoming is not null)
        {
            ahead.Upcoming(upcoming);
        }
    }

    private static bool TryRetrNumber(ReadOnlySequence<byte> line, out int number)
    {
        number = 0;
        Span<byte> text = stackalloc byte[24];
        if (line.Length > text.Length)
        {
            return false;
        }

        line.CopyTo(text);
        var command = text[..(int)line.Length].TrimEnd("\r "u8);
        return command.Length > 5
            && Ascii.EqualsIgnoreCase(command[..5], "RETR "u8)
            && Utf8Parser.TryParse(command[5..], out number, out var used)
            && used == command.Length - 5
            && number > 0;
    }
}
