namespace PopGate.Bench.Load;

/// <summary>
/// Follows a stream of RETR replies without copying them: the status line, then the body lines until ".CRLF".
/// It counts each body's octets as the client would store them (stuffed dots removed, CRLF kept, the final line not
/// counted), which is the size LIST announces. Pure and incremental: feed any split of the bytes.
/// </summary>
public sealed class ReplyCounter
{
    private State _state = State.StatusStart;
    private long _body;

    private enum State
    {
        StatusStart,
        Status,
        LineStart,
        Middle,
        Dot,
        DotCr,
    }

    /// <summary>Consumes <paramref name="data"/>, calling <paramref name="completed"/> with each finished body's size.</summary>
    /// <exception cref="LoadException">A reply was not +OK.</exception>
    public void Feed(ReadOnlySpan<byte> data, Action<long> completed)
    {
        while (!data.IsEmpty)
        {
            switch (_state)
            {
                case State.StatusStart:
                    if (data[0] != (byte)'+')
                    {
                        throw new LoadException("RETR: " + System.Text.Encoding.UTF8.GetString(data[..Math.Min(data.Length, 80)]).Split('\n')[0]);
                    }

                    _state = State.Status;
                    break;
                case State.Status:
                    {
                        var lf = data.IndexOf((byte)'\n');
                        if (lf < 0)
                        {
                            return;
                        }

                        data = data[(lf + 1)..];
                        _body = 0;
                        _state = State.LineStart;
                        break;
                    }

                case State.LineStart:
                    if (data[0] == (byte)'.')
                    {
                        // A stuffed dot or the terminating line: not part of the message either way.
                        data = data[1..];
                        _state = State.Dot;
                    }
                    else
                    {
                        _state = State.Middle;
                    }

                    break;
                case State.Middle:
                    {
                        var lf = data.IndexOf((byte)'\n');
                        if (lf < 0)
                        {
                            _body += data.Length;
                            return;
                        }

                        _body += lf + 1;
                        data = data[(lf + 1)..];
                        _state = State.LineStart;
                        break;
                    }

                case State.Dot:
                    if (data[0] == (byte)'\r')
                    {
                        data = data[1..];
                        _state = State.DotCr;
                    }
                    else
                    {
                        _state = State.Middle;
                    }

                    break;
                case State.DotCr:
                    if (data[0] == (byte)'\n')
                    {
                        data = data[1..];
                        _state = State.StatusStart;
                        completed(_body);
                    }
                    else
                    {
                        // ".\r" then more: the CR belonged to the line.
                        _body++;
                        _state = State.Middle;
                    }

                    break;
            }
        }
    }
}
