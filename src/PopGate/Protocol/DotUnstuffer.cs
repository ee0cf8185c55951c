using System.Buffers;

namespace PopGate.Protocol;

/// <summary>
/// Reads the body of a POP3 multi-line reply chunk by chunk: removes the stuffed '.' at the start of a line and
/// stops at the terminating "." line. Line ends pass through as they came. A terminator ending in a bare LF is
/// accepted too, because some servers send one.
/// </summary>
public sealed class DotUnstuffer
{
    private enum State { LineStart, Dot, DotCr, Middle, Done }

    private State _state = State.LineStart;

    /// <summary>True once the terminating line was read.</summary>
    public bool IsDone => _state == State.Done;

    /// <summary>Decodes as much of <paramref name="input"/> as possible into <paramref name="output"/>.</summary>
    /// <returns>Octets of <paramref name="input"/> consumed; all of it unless the terminator was found.</returns>
    public int Decode(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        var i = 0;
        while (i < input.Length)
        {
            switch (_state)
            {
                case State.LineStart:
                    if (input[i] == (byte)'.')
                    {
                        _state = State.Dot;
                        i++;
                    }
                    else
                    {
                        _state = State.Middle;
                    }

                    break;
                case State.Dot:
                    if (input[i] == (byte)'\r')
                    {
                        _state = State.DotCr;
                        i++;
                    }
                    else if (input[i] == (byte)'\n')
                    {
                        _state = State.Done;
                        return i + 1;
                    }
                    else
                    {
                        _state = State.Middle;
                    }

                    break;
                case State.DotCr:
                    if (input[i] == (byte)'\n')
                    {
                        _state = State.Done;
                        return i + 1;
                    }

                    // ".\rX": the dot was stuffing, the CR is data.
                    output.Write("\r"u8);
                    _state = State.Middle;
                    break;
                case State.Middle:
                    var rest = input[i..];
                    var lf = rest.IndexOf((byte)'\n');
                    if (lf < 0)
                    {
                        output.Write(rest);
                        return input.Length;
                    }

                    output.Write(rest[..(lf + 1)]);
                    i += lf + 1;
                    _state = State.LineStart;
                    break;
                default:
                    return i;
            }
        }

        return i;
    }
}
