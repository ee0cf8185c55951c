using System.Buffers;
using System.IO.Pipelines;

namespace PopGate.Tests.Client;

/// <summary>
/// An in-memory connection: the client end is a <see cref="Stream"/>, the server end a pair of pipes. Small pipe
/// thresholds make writes block like a full TCP window; <c>maxRead</c> caps what one client read returns, down to
/// one byte at a time.
/// </summary>
internal sealed class MemoryConnection
{
    public MemoryConnection(int maxRead = int.MaxValue, long pauseThreshold = 1024 * 1024)
    {
        var options = new PipeOptions(pauseWriterThreshold: pauseThreshold, resumeWriterThreshold: pauseThreshold / 2, useSynchronizationContext: false);
        var toClient = new Pipe(options);
        var toServer = new Pipe(options);
        ServerInput = toServer.Reader;
        ServerOutput = toClient.Writer;
        ClientStream = new ClientEnd(toClient.Reader, toServer.Writer, maxRead);
    }

    public Stream ClientStream { get; }

    /// <summary>What the client wrote.</summary>
    public PipeReader ServerInput { get; }

    /// <summary>What the client will read.</summary>
    public PipeWriter ServerOutput { get; }

    private sealed class ClientEnd(PipeReader input, PipeWriter output, int maxRead) : Stream
    {
        private int _closed;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var result = await input.ReadAsync(cancellationToken);
            var available = result.Buffer;
            if (available.IsEmpty && result.IsCompleted)
            {
                input.AdvanceTo(available.End);
                return 0;
            }

            var n = (int)Math.Min(Math.Min(buffer.Length, maxRead), available.Length);
            available.Slice(0, n).CopyTo(buffer.Span);
            input.AdvanceTo(available.GetPosition(n));
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Volatile.Read(ref _closed) != 0)
            {
                throw new IOException("the connection is closed");
            }

            var result = await output.WriteAsync(buffer, cancellationToken);
            if (result.IsCompleted)
            {
                throw new IOException("the server closed the connection");
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("async only");

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("async only");

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                input.Complete();
                output.Complete();
            }

            base.Dispose(disposing);
        }
    }
}
