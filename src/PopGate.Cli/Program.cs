using System.CommandLine;
using PopGate.Cli.Commands;

namespace PopGate.Cli;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var root = new RootCommand("PopGate: a POP3 server and gateway, a POP3 client and a fast mail downloader.");
        foreach (var command in CommandList.All())
        {
            root.Subcommands.Add(command);
        }

        // Commands handle SIGINT/SIGTERM themselves (serve must let deleting sessions finish), so the parser's own
        // termination handling is off.
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }).ConfigureAwait(false);
    }
}
