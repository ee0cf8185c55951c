using System.Diagnostics;
using System.IO.Pipelines;

namespace PopGate.Fetch;

/// <summary>
/// Delivery through a command (an MDA such as procmail or maildrop), run as /bin/sh -c COMMAND once per message
/// with the message on its standard input. Exit status 0 means delivered; anything else means not delivered, and
/// the message stays on the server. A command's delivery cannot be seen from outside, so a run killed after the
/// command succeeded but before the state was recorded hands the message to the command again next time.
/// </summary>
public sealed class CommandDelivery : IMessageDelivery
{
    private readonly LineEnds _lineEnds;

    public CommandDelivery(string command, LineEnds lineEnds)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        Command = command;
        _lineEnds = lineEnds;
    }

    public string Command { get; }

    public string Description => $"command {Command}";

    public ValueTask OpenAsync(bool create, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public int RecordBatch => 1;

    public bool Holds(FetchedMessage message) => false;

    public ValueTask<bool> SettlePendingAsync(PendingAppend pending, CancellationToken cancellationToken) => ValueTask.FromResult(false);

    public async ValueTask<long> DeliverAsync(FetchedMessage message, PipeReader body, Func<PendingAppend, ValueTask> beforeAppend, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Command);
        start.Environment["POPGATE_UIDL"] = message.Uid ?? string.Empty;
        start.Environment["POPGATE_SIZE"] = message.Size.ToString(System.Globalization.CultureInfo.InvariantCulture);

        using var process = Process.Start(start) ?? throw new DeliveryException($"cannot start /bin/sh for '{Command}'");
        var output = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        long written = 0;
        Exception? feedFailure = null;
        try
        {
            await using var input = process.StandardInput.BaseStream;
            written = (await MessageCopier.CopyAsync(body, input, _lineEnds, mboxQuote: false, cancellationToken).ConfigureAwait(false)).Written;
        }
        catch (IOException e)
        {
            // The command closed its input early (a broken pipe); its exit status says whether that was a refusal.
            feedFailure = e;
        }

        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        await output.ConfigureAwait(false);
        var stderr = (await errors.ConfigureAwait(false)).Trim();
        if (process.ExitCode != 0)
        {
            var said = stderr.Length == 0 ? string.Empty : ": " + LastLine(stderr);
            throw new DeliveryException($"'{Command}' exited with status {process.ExitCode}{said}");
        }

        if (feedFailure is not null)
        {
            throw new DeliveryException($"'{Command}' did not read the whole message: {feedFailure.Message}", feedFailure);
        }

        return written;
    }

    private static string LastLine(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? string.Empty : lines[^1];
    }

    public ValueTask<IReadOnlyList<(FetchedMessage Message, Exception Error)>> FlushAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<(FetchedMessage Message, Exception Error)>>([]);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
