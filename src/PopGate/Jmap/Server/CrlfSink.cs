using System.Buffers;
using System.IO.Pipelines;
using PopGate.Stores;

namespace PopGate.Jmap.Server;

/// <summary>
/// Writes a message to a pipe in its wire form: a bare LF becomes CRLF and a final CRLF is added when missing,
/// so the bytes sent are exactly the size the store lists (see <see cref="Protocol.WireSize"/>).
/// </summary>
internal sealed class CrlfSink : IMessageSink
{
    private readonly PipeWriter _output;
    private readonly bool _raw;
    private bool _lastWasCr;
    private bool _lastWasLf;
    private bool _any;

    /// <param name="raw">Pass the bytes through untouched.</param>
    public CrlfSink(PipeWriter output, bool raw)
    {
        _output = output;
        _raw = raw;
    }

    public async ValueTask<bool> WriteAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        if (chunk.IsEmpty)
        {
            return true;
        }

        if (_raw)
        {
            _output.Write(chunk.Span);
        }
        else
        {
            Convert(chunk.Span);
        }

        _any = true;
        _lastWasCr = chunk.Span[^1] == (byte)'\r';
        _lastWasLf = chunk.Span[^1] == (byte)'\n';
        var flush = await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return !flush.IsCanceled && !flush.IsCompleted;
    }

    /// <summary>Adds the final CRLF when the message did not end with a line end.</summary>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        if (!_raw && _any && !_lastWasLf)
        {
            _output.Write("\r\n"u8);
            await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void Convert(ReadOnlySpan<byte> chunk)
    {
        var previousCr = _lastWasCr;
        while (!chunk.IsEmpty)
        {
            var lf = chunk.IndexOf((byte)'\n');
            if (lf < 0)
            {
                _output.Write(chunk);
                break;
            }

            var crBefore = lf > 0 ? chunk[lf - 1] == (byte)'\r' : previousCr;
            _output.Write(chunk[..lf]);
            _output.Write(crBefore ? "\n"u8 : "\r\n"u8);
            previousCr = false;
            chunk = chunk[(lf + 1)..];
        }
    }
}
