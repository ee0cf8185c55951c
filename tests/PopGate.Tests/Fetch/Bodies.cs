using System.Buffers;
using System.IO.Pipelines;

namespace PopGate.Tests.Fetch;

/// <summary>Message bodies as the client hands them to a delivery: a pipe fed in pieces of chosen sizes.</summary>
internal static class Bodies
{
    /// <summary>A reader over <paramref name="bytes"/>, written in pieces cut at <paramref name="cuts"/>.</summary>
    public static PipeReader Split(byte[] bytes, params int[] cuts)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
        var previous = 0;
        foreach (var cut in cuts.Append(bytes.Length))
        {
            pipe.Writer.Write(bytes.AsSpan(previous, cut - previous));
            _ = pipe.Writer.FlushAsync().AsTask().Result;
            previous = cut;
        }

        pipe.Writer.Complete();
        return pipe.Reader;
    }

    /// <summary>A reader fed one byte per write, the hardest case for a line splitter.</summary>
    public static PipeReader ByteByByte(byte[] bytes)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
        _ = Task.Run(async () =>
        {
            foreach (var b in bytes)
            {
                await pipe.Writer.WriteAsync(new[] { b });
            }

            await pipe.Writer.CompleteAsync();
        });
        return pipe.Reader;
    }
}
