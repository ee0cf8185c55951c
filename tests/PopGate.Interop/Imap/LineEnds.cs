namespace PopGate.Interop.Imap;

/// <summary>CRLF normalisation as mail servers want it: a LF without CR becomes CRLF; nothing else changes.</summary>
public static class LineEnds
{
    public static byte[] ToCrlf(byte[] raw)
    {
        var output = new List<byte>(raw.Length + 64);
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == (byte)'\n' && (i == 0 || raw[i - 1] != (byte)'\r'))
            {
                output.Add((byte)'\r');
            }

            output.Add(raw[i]);
        }

        return output.ToArray();
    }
}
