namespace PopGate.Protocol;

/// <summary>
/// Counts the octets a message has on the wire before dot-stuffing: every LF counted as CRLF, and a final
/// CRLF when the message does not end with one. This is the size LIST and STAT report, and it equals what
/// a client has after undoing the stuffing of RETR's reply.
/// </summary>
public struct WireSize
{
    private long _octets;
    private bool _lastWasCr;
    private bool _lastWasLf;
    private bool _any;

    /// <summary>Counts one chunk of raw message bytes.</summary>
    public void Add(ReadOnlySpan<byte> chunk)
    {
        if (chunk.IsEmpty)
        {
            return;
        }

        _octets += chunk.Length;
        var rest = chunk;
        var previousCr = _lastWasCr;
        while (true)
        {
            var lf = rest.IndexOf((byte)'\n');
            if (lf < 0)
            {
                break;
            }

            var crBefore = lf > 0 ? rest[lf - 1] == (byte)'\r' : previousCr;
            if (!crBefore)
            {
                _octets++;
            }

            previousCr = false;
            rest = rest[(lf + 1)..];
        }

        _any = true;
        _lastWasCr = chunk[^1] == (byte)'\r';
        _lastWasLf = chunk[^1] == (byte)'\n';
    }

    /// <summary>The size on the wire of everything added so far, final CRLF included.</summary>
    public readonly long Total => _any && !_lastWasLf ? _octets + 2 : _octets;

    /// <summary>Computes the size of a whole message held in memory.</summary>
    public static long Of(ReadOnlySpan<byte> message)
    {
        var size = new WireSize();
        size.Add(message);
        return size.Total;
    }
}
