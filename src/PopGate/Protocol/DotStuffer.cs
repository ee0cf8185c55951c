using System.Buffers;

namespace PopGate.Protocol;

/// <summary>
/// Turns raw message bytes into the body of a POP3 multi-line reply, chunk by chunk: LF becomes CRLF
/// (a CRLF stays as is, a bare CR is kept as data), a line that starts with '.' gets a second '.',
/// and <see cref="Complete"/> adds the missing final CRLF and the terminating ".CRLF".
/// With a body line limit it stops after the header and that many body lines (TOP).
/// </summary>
public sealed class DotStuffer
{
    private readonly int _bodyLineLimit;
    private bool _atLineStart = true;
    private bool _lastWasCr;
    private bool _inBody;
    private int _bodyLines;
    private bool _done;
    private long _lineBytes;

    /// <param name="bodyLineLimit">Body lines to pass after the header, or -1 for the whole message.</param>
    public DotStuffer(int bodyLineLimit = -1)
    {
        _bodyLineLimit = bodyLineLimit;
    }

    /// <summary>True once a TOP limit was reached: further input is ignored.</summary>
    public bool IsDone => _done;

    /// <summary>Encodes one chunk; returns false when no more input is wanted.</summary>
    public bool Write(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        if (_bodyLineLimit < 0)
        {
            WriteWhole(input, output);
            return true;
        }

        while (!input.IsEmpty && !_done)
        {
            if (_atLineStart)
            {
                if (_inBody && _bodyLineLimit >= 0 && _bodyLines >= _bodyLineLimit)
                {
                    _done = true;
                    break;
                }

                if (input[0] == (byte)'.')
                {
                    output.Write("."u8);
                }

                _atLineStart = false;
                _lineBytes = 0;
            }

            var lf = input.IndexOf((byte)'\n');
            if (lf < 0)
            {
                output.Write(input);
                _lineBytes += input.Length;
                _lastWasCr = input[^1] == (byte)'\r';
                return true;
            }

            var crBefore = lf > 0 ? input[lf - 1] == (byte)'\r' : _lastWasCr;
            if (crBefore)
            {
                output.Write(input[..(lf + 1)]);
            }
            else
            {
                output.Write(input[..lf]);
                output.Write("\r\n"u8);
            }

            _lineBytes += lf;
            EndLine(isEmpty: _lineBytes == 0 || (_lineBytes == 1 && crBefore));
            input = input[(lf + 1)..];
        }

        return !_done;
    }

    /// <summary>
    /// The whole message (RETR): no header or line counting, and the input goes out in runs as long as the lines
    /// that need nothing, cut only where a dot is doubled or a bare LF gets its CR. Mail from IMAP servers and most
    /// files is CRLF with few leading dots, so a chunk is usually one copy rather than one write per line.
    /// </summary>
    private void WriteWhole(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        var run = 0;
        var at = 0;
        while (at < input.Length)
        {
            if (_atLineStart)
            {
                if (input[at] == (byte)'.')
                {
                    output.Write(input[run..at]);
                    output.Write("."u8);
                    run = at;
                }

                _atLineStart = false;
            }

            var lf = input[at..].IndexOf((byte)'\n');
            if (lf < 0)
            {
                _lastWasCr = input[^1] == (byte)'\r';
                break;
            }

            lf += at;
            if (!(lf > 0 ? input[lf - 1] == (byte)'\r' : _lastWasCr))
            {
                output.Write(input[run..lf]);
                output.Write("\r\n"u8);
                run = lf + 1;
            }

            _atLineStart = true;
            _lastWasCr = false;
            at = lf + 1;
        }

        if (run < input.Length)
        {
            output.Write(input[run..]);
        }
    }

    private void EndLine(bool isEmpty)
    {
        if (_inBody)
        {
            _bodyLines++;
        }
        else if (isEmpty)
        {
            _inBody = true;
        }

        _atLineStart = true;
        _lastWasCr = false;
        if (_inBody && _bodyLineLimit >= 0 && _bodyLines >= _bodyLineLimit)
        {
            _done = true;
        }
    }

    /// <summary>Ends the reply: the final CRLF if the message lacked one, then ".CRLF".</summary>
    public void Complete(IBufferWriter<byte> output)
    {
        if (!_atLineStart && !_done)
        {
            output.Write("\r\n"u8);
        }

        output.Write(".\r\n"u8);
    }
}
