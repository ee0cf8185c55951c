using System.CommandLine;
using PopGate.Bench.Gateway;
using PopGate.Bench.Server;

namespace PopGate.Bench;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var root = new RootCommand("PopGate benchmarks against peer programs on this machine.");
        root.Subcommands.Add(ServerCommand.Create());
        root.Subcommands.Add(GatewayCommand.CreateGateway());
        root.Subcommands.Add(GatewayCommand.CreateJmap());
        return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
    }
}
