using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using PopGate.Protocol;

namespace PopGate.Tests.Client;

/// <summary>One expected command line and the exact bytes sent back for it.</summary>
internal sealed record ScriptStep(string Command, byte[] Reply)
{
    public static ScriptStep Text(string command, string reply) => new(command, Encoding.UTF8.GetBytes(reply));
}

/// <summary>
/// A server that sends a greeting, then for each command line it receives checks it against the next step of its
/// script and sends that step's reply. A command that does not match ends the run with a failure the test reports.
/// </summary>
internal sealed class ScriptedServer
{
    private readonly byte[] _greeting;
    private readonly Queue<ScriptStep> _steps;

    public ScriptedServer(byte[] greeting, IEnumerable<ScriptStep> steps)
    {
        _greeting = greeting;
        _steps = new Queue<ScriptStep>(steps);
    }

    public List<string> Received { get; } = [];

    /// <summary>Commands received that did not match the script, if any.</summary>
    public string? Mismatch { get; private set; }

    public Task Run(MemoryConnection connection) => Task.Run(() => RunAsync(connection.ServerInput, connection.ServerOutput));

    private async Task RunAsync(PipeReader input, PipeWriter output)
    {
        await output.WriteAsync(_greeting);
        try
        {
            while (true)
            {
                var result = await input.ReadAsync();
                var buffer = result.Buffer;
                while (LineReader.TryRead(ref buffer, 100_000, out var line) == LineStatus.Line)
                {
                    var text = Encoding.UTF8.GetString(line.ToArray());
                    Received.Add(text);
                    if (!_steps.TryDequeue(out var step) || step.Command != text)
                    {
                        Mismatch ??= $"unexpected command '{text}'" + (step is null ? " after the script ended" : $", expected '{step.Command}'");
                        await output.CompleteAsync();
                        input.AdvanceTo(buffer.End);
                        return;
                    }

                    await output.WriteAsync(step.Reply);
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        finally
        {
            await output.CompleteAsync();
            await input.CompleteAsync();
        }
    }
}
