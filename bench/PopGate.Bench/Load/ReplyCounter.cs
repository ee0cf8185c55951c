namespace PopGate.Bench.Load;

/// <summary>
/// Follows a stream of RETR replies without copying them: the status line, then the body until ".CRLF". It counts
/// each body's octets as the client would store them (stuffed dots removed, CRLF kept, the final line not counted),
/// which is the size LIST announces. Only a line end followed by a dot needs a closer look, and the search for that
/// pair is vectorised, so the count costs far less than receiving the bytes. Pure and incremental: feed any split.
/// </summary>
public sealed class ReplyCounter
{
    private State _state = State.StatusStart;
    private bool _atLineStart;
    private long _body;

    private enum State
    {
        StatusStart,
        Status,
        Body,
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
                        _atLineStart = true;
                        _state = State.Body;
                        break;
                    }

                case State.Body:
                    if (_atLineStart && data[0] == (byte)'.')
                    {
                        // A stuffed dot or the terminating line: not part of the message either way.
                        data = data[1..];
                        _state = State.Dot;
                        break;
                    }

                    var next = data.IndexOf("\n."u8);
                    if (next < 0)
                    {
                        _body += data.Length;
                        _atLineStart = data[^1] == (byte)'\n';
                        return;
                    }

                    _body += next + 1;
                    data = data[(next + 1)..];
                    _atLineStart = true;
                    break;
                case State.Dot:
                    _atLineStart = false;
                    if (data[0] == (byte)'\r')
                    {
                        data = data[1..];
                        _state = State.DotCr;
                    }
                    else
                    {
                        _state = State.Body;
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
                        _state = State.Body;
                    }

                    break;
            }
        }
    }
}
