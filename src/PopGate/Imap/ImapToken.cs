using System.Buffers;
using System.Text;

namespace PopGate.Imap;

/// <summary>What kind of thing <see cref="ImapTokenizer"/> found.</summary>
public enum ImapTokenKind
{
    /// <summary>An atom, a number, NIL, a flag (\Seen) or a fetch item name such as BODY[HEADER.FIELDS (TO)]&lt;0&gt;.</summary>
    Atom,

    /// <summary>A quoted string; <see cref="ImapToken.Value"/> holds it still escaped.</summary>
    Quoted,

    /// <summary>The header of a literal ({n} or literal8 ~{n}); its n octets follow the line end.</summary>
    Literal,

    /// <summary>"(".</summary>
    ListStart,

    /// <summary>")".</summary>
    ListEnd,

    /// <summary>The end of a line that is not a literal header.</summary>
    LineEnd,
}

/// <summary>One token of a server response. Its value points into the input and is valid only as long as that is.</summary>
public readonly struct ImapToken
{
    public ImapToken(ImapTokenKind kind, ReadOnlySequence<byte> value = default, long literalLength = 0, bool isBinary = false)
    {
        Kind = kind;
        Value = value;
        LiteralLength = literalLength;
        IsBinary = isBinary;
    }

    public ImapTokenKind Kind { get; }

    /// <summary>The atom's bytes, or a quoted string's bytes between the quotes (escapes not yet undone).</summary>
    public ReadOnlySequence<byte> Value { get; }

    /// <summary>For a literal: how many octets follow.</summary>
    public long LiteralLength { get; }

    /// <summary>For a literal: literal8 (~{n}), whose octets may hold NUL.</summary>
    public bool IsBinary { get; }

    /// <summary>True for an atom equal to <paramref name="upper"/> ignoring ASCII case.</summary>
    public bool IsAtom(ReadOnlySpan<byte> upper)
    {
        if (Kind != ImapTokenKind.Atom || Value.Length != upper.Length)
        {
            return false;
        }

        Span<byte> copy = stackalloc byte[upper.Length];
        Value.CopyTo(copy);
        for (var i = 0; i < copy.Length; i++)
        {
            if (ToUpper(copy[i]) != upper[i])
            {
                return false;
            }
        }

        return true;
    }

    public bool IsNil => IsAtom("NIL"u8);

    /// <summary>Reads an atom made of 1 to 19 digits.</summary>
    public bool TryGetNumber(out long number)
    {
        number = 0;
        if (Kind != ImapTokenKind.Atom || Value.IsEmpty || Value.Length > 19)
        {
            return false;
        }

        foreach (var segment in Value)
        {
            foreach (var b in segment.Span)
            {
                if (b is < (byte)'0' or > (byte)'9')
                {
                    return false;
                }

                number = (number * 10) + (b - '0');
            }
        }

        return number >= 0;
    }

    /// <summary>The value's bytes with quoted-string escapes undone.</summary>
    public byte[] GetBytes()
    {
        var raw = Value.ToArray();
        if (Kind != ImapTokenKind.Quoted || Array.IndexOf(raw, (byte)'\\') < 0)
        {
            return raw;
        }

        var output = new byte[raw.Length];
        var n = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == (byte)'\\' && i + 1 < raw.Length)
            {
                i++;
            }

            output[n++] = raw[i];
        }

        return output[..n];
    }

    /// <summary>The value as text (UTF-8, escapes undone).</summary>
    public string GetString() => Encoding.UTF8.GetString(GetBytes());

    /// <summary>The value as upper-case ASCII text, for comparing names.</summary>
    public string GetUpperString() => GetString().ToUpperInvariant();

    public override string ToString() => Kind switch
    {
        ImapTokenKind.Literal => (IsBinary ? "~{" : "{") + LiteralLength + "}",
        ImapTokenKind.ListStart => "(",
        ImapTokenKind.ListEnd => ")",
        ImapTokenKind.LineEnd => "CRLF",
        ImapTokenKind.Quoted => "\"" + GetString() + "\"",
        _ => GetString(),
    };

    private static byte ToUpper(byte b) => b is >= (byte)'a' and <= (byte)'z' ? (byte)(b - 32) : b;
}
