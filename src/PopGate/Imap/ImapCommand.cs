using System.Buffers;
using System.Globalization;
using System.Text;

namespace PopGate.Imap;

/// <summary>
/// One command to send, built part by part. A synchronizing literal splits it: the server must answer "+" before
/// the next part goes out. With LITERAL+ (or LITERAL- for small ones) literals go inline, unsynchronized.
/// </summary>
public sealed class ImapCommand
{
    private readonly List<byte[]> _parts = [];
    private readonly ArrayBufferWriter<byte> _current = new();
    private readonly LiteralMode _literals;

    /// <param name="name">The command's words without the tag, e.g. "UID FETCH".</param>
    /// <param name="literals">How literals may be sent on this connection.</param>
    public ImapCommand(string name, LiteralMode literals = LiteralMode.Synchronizing)
    {
        Name = name;
        _literals = literals;
        _current.Write(Encoding.ASCII.GetBytes(name));
    }

    /// <summary>The command's name, for errors and the transcript.</summary>
    public string Name { get; }

    /// <summary>Answers a "+" challenge that arrives after all parts were sent (AUTHENTICATE); null: none expected.</summary>
    public Func<string, byte[]>? Challenge { get; init; }

    /// <summary>True when the command holds a secret that a transcript must not show.</summary>
    public bool Secret { get; init; }

    /// <summary>The tag it was sent with (A1, A2, ...).</summary>
    public string Tag { get; internal set; } = string.Empty;

    /// <summary>Nothing may be sent after it until it completes: set for AUTHENTICATE, since a server may drop the
    /// input that followed it (Cyrus does, even for PLAIN, where no security layer starts).</summary>
    public bool Exclusive { get; init; }

    /// <summary>True when nothing may follow it in a flight: it waits for "+" (a synchronizing literal, a
    /// challenge), or is <see cref="Exclusive"/>.</summary>
    public bool EndsFlight => _parts.Count > 0 || Challenge is not null || Exclusive;

    /// <summary>Appends " " and an atom (or any text the caller knows needs no quoting).</summary>
    public ImapCommand Atom(string atom)
    {
        _current.Write(" "u8);
        _current.Write(Encoding.ASCII.GetBytes(atom));
        return this;
    }

    public ImapCommand Number(long number) => Atom(number.ToString(CultureInfo.InvariantCulture));

    /// <summary>Appends a string as an atom, a quoted string or a literal, whichever fits its bytes.</summary>
    public ImapCommand AString(string value) => AString(Encoding.UTF8.GetBytes(value));

    public ImapCommand AString(ReadOnlySpan<byte> value)
    {
        _current.Write(" "u8);
        if (value.Length > 0 && IsAtom(value))
        {
            _current.Write(value);
        }
        else if (IsQuotable(value))
        {
            _current.Write("\""u8);
            foreach (var b in value)
            {
                if (b is (byte)'"' or (byte)'\\')
                {
                    _current.Write("\\"u8);
                }

                _current.Write([b]);
            }

            _current.Write("\""u8);
        }
        else
        {
            WriteLiteral(value, binary: false);
        }

        return this;
    }

    /// <summary>Appends " " and a literal (literal8 "~{n}" when <paramref name="binary"/>).</summary>
    public ImapCommand Literal(ReadOnlySpan<byte> value, bool binary = false)
    {
        _current.Write(" "u8);
        WriteLiteral(value, binary);
        return this;
    }

    /// <summary>Appends raw bytes as they are (a parenthesized list, a section spec).</summary>
    public ImapCommand Raw(ReadOnlySpan<byte> bytes)
    {
        _current.Write(bytes);
        return this;
    }

    /// <summary>The parts to send, each after the server's "+" for the one before; the last ends with CRLF.</summary>
    public IReadOnlyList<byte[]> Build()
    {
        var parts = new List<byte[]>(_parts) { _current.WrittenSpan.ToArray() };
        parts[^1] = [.. parts[^1], (byte)'\r', (byte)'\n'];
        return parts;
    }

    private void WriteLiteral(ReadOnlySpan<byte> value, bool binary)
    {
        var inline = _literals == LiteralMode.NonSynchronizing
            || (_literals == LiteralMode.NonSynchronizingUpTo4K && value.Length <= 4096);
        _current.Write(binary ? "~{"u8 : "{"u8);
        _current.Write(Encoding.ASCII.GetBytes(value.Length.ToString(CultureInfo.InvariantCulture)));
        _current.Write(inline ? "+}\r\n"u8 : "}\r\n"u8);
        if (!inline)
        {
            _parts.Add(_current.WrittenSpan.ToArray());
            _current.Clear();
        }

        _current.Write(value);
    }

    private static bool IsAtom(ReadOnlySpan<byte> value)
    {
        foreach (var b in value)
        {
            if (b <= 0x20 || b >= 0x7F || b is (byte)'(' or (byte)')' or (byte)'{' or (byte)'%' or (byte)'*'
                or (byte)'"' or (byte)'\\' or (byte)']')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A quoted string may hold 7-bit text without CR, LF or NUL; anything else goes as a literal.</summary>
    private static bool IsQuotable(ReadOnlySpan<byte> value)
    {
        if (value.Length > 1000)
        {
            return false;
        }

        foreach (var b in value)
        {
            if (b is 0 or (byte)'\r' or (byte)'\n' || b >= 0x80)
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>How the server lets literals be sent.</summary>
public enum LiteralMode
{
    /// <summary>Wait for "+" before each literal's octets.</summary>
    Synchronizing,

    /// <summary>LITERAL+ (RFC 7888): "{n+}" needs no wait.</summary>
    NonSynchronizing,

    /// <summary>LITERAL- (RFC 7888): "{n+}" only up to 4096 octets.</summary>
    NonSynchronizingUpTo4K,
}
