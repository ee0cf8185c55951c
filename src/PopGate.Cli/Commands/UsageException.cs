namespace PopGate.Cli.Commands;

/// <summary>The command line asks for something that cannot be done as written; exit status 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
