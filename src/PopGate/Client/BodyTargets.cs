using System.Buffers;
using System.IO.Pipelines;

namespace PopGate.Client;

/// <summary>Body targets: a buffer writer, a pipe writer, a stream, or an ordered consumer.</summary>
internal static class BodyTargets
{
    public static IBodyTarget<long> To(IBufferWriter<byte> output) => new BufferWriterTarget(output);

    public static IBodyTarget<long> To(PipeWriter output) => new PipeWriterTarget(output, completeWhenDone: false);

    public static IBodyTarget<long> To(Stream output) =>
        new PipeWriterTarget(PipeWriter.Create(output, new StreamPipeWriterOptions(leaveOpen: true)), completeWhenDone: true);

    public static IBodyTarget<T> To<T>(Pop3BodyConsumer<T> consumer) => new ConsumerTarget<T>(consumer);

    private sealed class BufferWriterTarget(IBufferWriter<byte> output) : IBodyTarget<long>
    {
        public async ValueTask<long> ReceiveAsync(ReplyReader replies, Func<bool> abandoned, CancellationToken cancellationToken)
        {
            var total = await replies.ReadBodyAsync(output, () => new ValueTask<bool>(!abandoned())).ConfigureAwait(false);
            return total;
        }
    }

    private sealed class PipeWriterTarget(PipeWriter output, bool completeWhenDone) : IBodyTarget<long>
    {
        public async ValueTask<long> ReceiveAsync(ReplyReader replies, Func<bool> abandoned, CancellationToken cancellationToken)
        {
            Exception? failure = null;
            var total = await replies.ReadBodyAsync(output, async () =>
            {
                if (abandoned())
                {
                    return false;
                }

                try
                {
                    var result = await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                    return !result.IsCompleted && !result.IsCanceled;
                }
                catch (Exception e)
                {
                    failure = e;
                    return false;
                }
            }).ConfigureAwait(false);

            if (failure is null && completeWhenDone)
            {
                try
                {
                    await output.CompleteAsync().ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    failure = e;
                }
            }

            return failure is null ? total : throw new BodyTargetException(failure);
        }
    }

    private sealed class ConsumerTarget<T>(Pop3BodyConsumer<T> consumer) : IBodyTarget<T>
    {
        // Bounds what a slow consumer lets pile up; beyond it the connection simply stops reading.
        private static readonly PipeOptions Options = new(pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024, useSynchronizationContext: false);

        public async ValueTask<T> ReceiveAsync(ReplyReader replies, Func<bool> abandoned, CancellationToken cancellationToken)
        {
            var pipe = new Pipe(Options);
            var consuming = Task.Run(async () =>
            {
                try
                {
                    return await consumer(pipe.Reader, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    await pipe.Reader.CompleteAsync().ConfigureAwait(false);
                }
            }, CancellationToken.None);

            try
            {
                await replies.ReadBodyAsync(pipe.Writer, async () =>
                {
                    if (abandoned())
                    {
                        return false;
                    }

                    var result = await pipe.Writer.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                    return !result.IsCompleted;
                }).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                await pipe.Writer.CompleteAsync(e).ConfigureAwait(false);
                await ObserveAsync(consuming).ConfigureAwait(false);
                throw;
            }

            await pipe.Writer.CompleteAsync().ConfigureAwait(false);
            try
            {
                return await consuming.ConfigureAwait(false);
            }
            catch (Exception e)
            {
                throw new BodyTargetException(e);
            }
        }

        private static async Task ObserveAsync(Task task)
        {
            try
            {
                await task.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The connection failure is what the caller gets; the consumer's reaction to it adds nothing.
            }
        }
    }
}
