using System.IO.Pipelines;
using PopGate.Protocol;
using PopGate.Stores;

namespace PopGate.Server;

/// <summary>
/// Receives a message from a maildrop and writes it as a multi-line reply: the "+OK" line goes out just before the
/// first byte, so a store that fails before sending anything still allows a clean "-ERR".
/// </summary>
internal sealed class StuffingSink : IMessageSink
{
    private readonly PipeWriter _output;
    private readonly string _okText;
    private readonly int _flushThreshold;
    private readonly DotStuffer _stuffer;
    private readonly TimeSpan _writeTimeout;

    public StuffingSink(PipeWriter output, string okText, int bodyLines, int flushThreshold, TimeSpan writeTimeout)
    {
        _writeTimeout = writeTimeout;
        _output = output;
        _okText = okText;
        _flushThreshold = flushThreshold;
        _stuffer = new DotStuffer(bodyLines);
    }

    /// <summary>True once the "+OK" line was written: after that, a failure can only close the connection.</summary>
    public bool Started { get; private set; }

    public async ValueTask<bool> WriteAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        Start();
        var more = _stuffer.Write(chunk.Span, _output);
        if (_output.UnflushedBytes >= _flushThreshold)
        {
            // A client that stops reading is given the idle time per chunk, not forever.
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_writeTimeout);
            var result = await _output.FlushAsync(timeout.Token).ConfigureAwait(false);
            if (result.IsCompleted || result.IsCanceled)
            {
                throw new OperationCanceledException("the client stopped reading");
            }
        }

        return more;
    }

    /// <summary>Ends the reply (also for an empty message).</summary>
    public void Complete()
    {
        Start();
        _stuffer.Complete(_output);
    }

    private void Start()
    {
        if (!Started)
        {
            Started = true;
            _output.Ok(_okText);
        }
    }
}
