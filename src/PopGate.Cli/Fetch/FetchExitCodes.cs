using PopGate.Cli.Commands;

namespace PopGate.Cli.Fetch;

/// <summary>
/// Exit statuses of `popgate fetch`: those of the other client commands, with 1 meaning that some messages were
/// not handled (not delivered, too large, DELE refused) or the destination or state store could not be used.
/// </summary>
internal static class FetchExitCodes
{
    public const int Ok = ClientExitCodes.Ok;

    public const int Incomplete = ClientExitCodes.Failed;

    public const int Usage = ClientExitCodes.Usage;
}
