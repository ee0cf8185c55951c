using System.Buffers.Text;
using System.Text;

namespace PopGate.Client;

/// <summary>Parses the numbers and ids of STAT, LIST and UIDL lines. Pure: no I/O, errors returned as text.</summary>
internal static class ListingParser
{
    /// <summary>"n size", optionally followed by a space and more text (RFC 1939 allows it, though discourages it).</summary>
    public static bool TryParseSize(ReadOnlySpan<byte> text, out int number, out long size, out string error)
    {
        size = 0;
        if (!TryTakeNumber(ref text, out number) || number < 1)
        {
            error = "a message number was expected";
            return false;
        }

        if (!TryTakeSpace(ref text) || !TryTakeLong(ref text, out size) || size < 0)
        {
            error = "a size in octets was expected after the message number";
            return false;
        }

        if (!(text.IsEmpty || text[0] == (byte)' '))
        {
            error = "the size is not a number";
            return false;
        }

        error = string.Empty;
        return true;
    }

    /// <summary>STAT's "count size".</summary>
    public static bool TryParseStat(ReadOnlySpan<byte> text, out Pop3Stat stat, out string error)
    {
        stat = default;
        if (!TryTakeNumber(ref text, out var count) || count < 0
            || !TryTakeSpace(ref text) || !TryTakeLong(ref text, out var size) || size < 0
            || !(text.IsEmpty || text[0] == (byte)' '))
        {
            error = "STAT reply must be '+OK count size'";
            return false;
        }

        stat = new Pop3Stat(count, size);
        error = string.Empty;
        return true;
    }

    /// <summary>"n uid": the uid is the rest of the line, 1 or more characters 0x21-0x7E (RFC 1939 caps it at 70;
    /// longer ones are kept, since refusing them would make such a mailbox unreadable).</summary>
    public static bool TryParseUid(ReadOnlySpan<byte> text, out int number, out string uid, out string error)
    {
        uid = string.Empty;
        if (!TryTakeNumber(ref text, out number) || number < 1)
        {
            error = "a message number was expected";
            return false;
        }

        if (!TryTakeSpace(ref text))
        {
            error = "a unique id was expected after the message number";
            return false;
        }

        var id = text.TrimEnd((byte)' ');
        if (id.IsEmpty || id.ContainsAnyExceptInRange((byte)0x21, (byte)0x7E))
        {
            error = "the unique id is empty or has characters outside 0x21-0x7E";
            return false;
        }

        uid = Encoding.ASCII.GetString(id);
        error = string.Empty;
        return true;
    }

    private static bool TryTakeNumber(ref ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        var digits = CountDigits(text);
        if (digits == 0 || !Utf8Parser.TryParse(text[..digits], out value, out var used) || used != digits)
        {
            return false;
        }

        text = text[digits..];
        return true;
    }

    private static bool TryTakeLong(ref ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        var digits = CountDigits(text);
        if (digits == 0 || !Utf8Parser.TryParse(text[..digits], out value, out var used) || used != digits)
        {
            return false;
        }

        text = text[digits..];
        return true;
    }

    // Servers separate fields with one space; a few use several, which costs nothing to accept.
    private static bool TryTakeSpace(ref ReadOnlySpan<byte> text)
    {
        var spaces = 0;
        while (spaces < text.Length && text[spaces] == (byte)' ')
        {
            spaces++;
        }

        text = text[spaces..];
        return spaces > 0;
    }

    private static int CountDigits(ReadOnlySpan<byte> text)
    {
        var n = 0;
        while (n < text.Length && text[n] is >= (byte)'0' and <= (byte)'9')
        {
            n++;
        }

        return n;
    }
}
