namespace PopGate.Bench.Download;

/// <summary>Local mail files end lines with LF; on the wire they end with CRLF.</summary>
public static class LineEnds
{
    /// <summary>Every CRLF made LF; a CR elsewhere stays.</summary>
    public static byte[] ToLf(byte[] data)
    {
        var output = new byte[data.Length];
        var n = 0;
        for (var i = 0; i < data.Length; i++)
        {
            if (data[i] == (byte)'\r' && i + 1 < data.Length && data[i + 1] == (byte)'\n')
            {
                continue;
            }

            output[n++] = data[i];
        }

        return output.AsSpan(0, n).ToArray();
    }
}
