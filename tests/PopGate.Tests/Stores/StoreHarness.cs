using System.Buffers;
using PopGate.Protocol;
using PopGate.Stores;

namespace PopGate.Tests.Stores;

/// <summary>Reads messages out of a maildrop the way the server does: through a sink that dot-stuffs, then undone.</summary>
internal static class StoreHarness
{
    public static async Task<byte[]> ReadWireAsync(IMaildrop maildrop, int index, int? bodyLines = null)
    {
        var sink = new CollectingSink(bodyLines ?? -1);
        await maildrop.WriteMessageAsync(index, sink, bodyLines, CancellationToken.None);
        return sink.Finish();
    }

    private sealed class CollectingSink(int bodyLines) : IMessageSink
    {
        private readonly DotStuffer _stuffer = new(bodyLines);
        private readonly ArrayBufferWriter<byte> _stuffed = new();

        public ValueTask<bool> WriteAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken) =>
            ValueTask.FromResult(_stuffer.Write(chunk.Span, _stuffed));

        public byte[] Finish()
        {
            _stuffer.Complete(_stuffed);
            var unstuffer = new DotUnstuffer();
            var output = new ArrayBufferWriter<byte>();
            var consumed = unstuffer.Decode(_stuffed.WrittenSpan, output);
            Assert.True(unstuffer.IsDone);
            Assert.Equal(_stuffed.WrittenCount, consumed);
            return output.WrittenSpan.ToArray();
        }
    }
}
