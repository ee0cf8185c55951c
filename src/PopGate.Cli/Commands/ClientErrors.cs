using PopGate.Client;

namespace PopGate.Cli.Commands;

/// <summary>Runs a client command and turns any failure into one line on standard error and an exit status.</summary>
internal static class ClientErrors
{
    public static async Task<int> RunAsync(string command, Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            var (status, message) = Describe(e);
            await Console.Error.WriteLineAsync($"popgate {command}: {message}").ConfigureAwait(false);
            return status;
        }
    }

    public static (int Status, string Message) Describe(Exception error) => error switch
    {
        UsageException or FormatException => (ClientExitCodes.Usage, error.Message),
        CredentialException => (ClientExitCodes.Authentication, error.Message),
        Pop3TlsException => (ClientExitCodes.Tls, error.Message),
        Pop3TimeoutException => (ClientExitCodes.Connection, $"timed out: {error.Message}"),
        Pop3ConnectionException => (ClientExitCodes.Connection, error.Message),
        Pop3CommandException refused when IsLogin(refused) => (ClientExitCodes.Authentication, $"login refused: {ServerSaid(refused)}"),
        Pop3CommandException refused => (ClientExitCodes.Server, $"the server refused {refused.Command}: {ServerSaid(refused)}"),
        Pop3ProtocolException => (ClientExitCodes.Server, $"protocol error: {error.Message}"),
        NotSupportedException => (ClientExitCodes.Authentication, error.Message),
        IOException or UnauthorizedAccessException or SelectionException => (ClientExitCodes.Failed, error.Message),
        OperationCanceledException => (ClientExitCodes.Interrupted, "interrupted"),
        _ => (ClientExitCodes.Failed, $"unexpected error ({error.GetType().Name}): {error.Message}"),
    };

    private static bool IsLogin(Pop3CommandException e) =>
        e.Command is "USER" or "PASS" or "APOP" || e.Command.StartsWith("AUTH", StringComparison.Ordinal);

    private static string ServerSaid(Pop3CommandException e)
    {
        var text = Terminal.Clean(e.ServerText);
        return text.Length == 0 ? "-ERR" : text;
    }
}
