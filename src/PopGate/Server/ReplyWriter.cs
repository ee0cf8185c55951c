using System.Buffers;
using System.Text;

namespace PopGate.Server;

/// <summary>Writes POP3 reply lines into a buffer writer, without flushing.</summary>
internal static class ReplyWriter
{
    public static void Ok(this IBufferWriter<byte> output, string text)
    {
        output.Write("+OK"u8);
        if (text.Length > 0)
        {
            output.Write(" "u8);
            output.WriteText(text);
        }

        output.Write("\r\n"u8);
    }

    /// <summary>"-ERR [CODE] text"; the code is left out when null.</summary>
    public static void Err(this IBufferWriter<byte> output, string? code, string text)
    {
        output.Write("-ERR "u8);
        if (code is not null)
        {
            output.Write("["u8);
            output.WriteText(code);
            output.Write("] "u8);
        }

        output.WriteText(text);
        output.Write("\r\n"u8);
    }

    /// <summary>A line of a multi-line reply (the caller stuffs it if it may start with '.').</summary>
    public static void Line(this IBufferWriter<byte> output, string text)
    {
        output.WriteText(text);
        output.Write("\r\n"u8);
    }

    public static void End(this IBufferWriter<byte> output) => output.Write(".\r\n"u8);

    private static void WriteText(this IBufferWriter<byte> output, string text)
    {
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        var n = Encoding.UTF8.GetBytes(text, span);
        output.Advance(n);
    }
}
