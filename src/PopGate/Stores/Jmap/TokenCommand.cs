using PopGate.Client;
using PopGate.Protocol;

namespace PopGate.Stores.Jmap;

/// <summary>Gets a Bearer token from a command's standard output (an OAuth2 helper, a password manager...).</summary>
internal static class TokenCommand
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    public static async ValueTask<string> RunAsync(string command, CancellationToken cancellationToken)
    {
        try
        {
            return await SecretCommand.RunAsync(command, Limit, cancellationToken).ConfigureAwait(false);
        }
        catch (CredentialException e)
        {
            throw new MaildropException(ResponseCodes.SysTemp, "the token command failed: " + e.Message, e);
        }
    }
}
