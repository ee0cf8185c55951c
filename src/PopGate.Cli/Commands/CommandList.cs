using System.CommandLine;

namespace PopGate.Cli.Commands;

/// <summary>Every subcommand of `popgate`, each built in its own file.</summary>
internal static class CommandList
{
    public static IEnumerable<Command> All()
    {
        yield return ServeCommand.Create();
        yield return PasswdCommand.Create();
        yield return JmapServeCommand.Create();
        yield return InfoCommand.Create();
        yield return LsCommand.Create();
        yield return GetCommand.Create();
        yield return RmCommand.Create();
        yield return FetchCommand.Create();
    }
}
