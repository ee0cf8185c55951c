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

        return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
    }
}
