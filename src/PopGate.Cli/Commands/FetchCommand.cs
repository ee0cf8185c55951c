using System.CommandLine;
using PopGate.Cli.Fetch;
using PopGate.Configuration;

namespace PopGate.Cli.Commands;

/// <summary>
/// `popgate fetch SERVER MAILDIR [options]` and `popgate fetch --config FILE`: download (and by default delete)
/// every message, pipelined, each safely on disk before its DELE.
/// </summary>
internal static class FetchCommand
{
    public static Command Create()
    {
        var common = new ClientCommandOptions();
        common.Spec.Arity = ArgumentArity.ZeroOrOne;
        var maildir = new Argument<string?>("maildir") { Description = "the Maildir to deliver into (created when missing)", Arity = ArgumentArity.ZeroOrOne };
        var keep = new Option<bool>("--keep") { Description = "leave messages on the server; later runs fetch only new ones (by UIDL)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "show what would be fetched and deleted; change nothing" };
        var mbox = new Option<string?>("--mbox") { Description = "append to this mbox file (mboxrd) instead of a Maildir" };
        var mda = new Option<string?>("--mda") { Description = "pipe each message to this shell command; a non-zero exit means not delivered" };
        var state = new Option<string?>("--state") { Description = "the state file (SQLite); default ~/.local/share/popgate/fetch/HOST_PORT_USER.sqlite" };
        var maxSize = new Option<long?>("--max-size") { Description = "leave messages larger than this many octets on the server (reported, exit status 1)" };
        var limit = new Option<int?>("--limit") { Description = "fetch at most this many messages in this run" };
        var crlf = new Option<bool>("--crlf") { Description = "keep CRLF line ends as the server sent them (default: LF, like mpop and fetchmail)" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "no progress and no summary; failures are still printed" };
        var config = new Option<string?>("--config") { Description = "a JSON file naming several accounts, fetched at the same time" };
        var noEarlyCapa = new Option<bool>("--no-early-capa") { Description = "wait for the greeting before sending CAPA (for servers that drop early commands)" };
        var window = new Option<long>("--window-bytes")
        {
            Description = "octets of messages requested ahead of those received",
            DefaultValueFactory = _ => FetchAccountFactory.DefaultWindowBytes,
        };

        var command = new Command("fetch", "Download every message into a Maildir, an mbox or a command, then delete it on the server (pipelined, crash-safe).");
        common.AddTo(command);
        command.Arguments.Add(maildir);
        foreach (var option in new Option[] { keep, dryRun, mbox, mda, state, maxSize, limit, crlf, quiet, config, noEarlyCapa, window })
        {
            command.Options.Add(option);
        }

        command.SetAction((result, cancellationToken) => ClientErrors.RunAsync("fetch", async () =>
        {
            var windowBytes = result.GetValue(window);
            if (windowBytes < 1024)
            {
                throw new UsageException("--window-bytes takes at least 1024 octets");
            }

            IReadOnlyList<FetchAccountSettings> accounts;
            if (result.GetValue(config) is { } file)
            {
                if (result.GetValue(common.Spec) is not null)
                {
                    throw new UsageException("give either --config FILE or a server and a destination, not both");
                }

                accounts = ReadConfig(file);
            }
            else
            {
                var spec = result.GetValue(common.Spec) ?? throw new UsageException("a server is required (or --config FILE)");
                var settings = new FetchAccountSettings
                {
                    Name = spec,
                    Server = spec,
                    Maildir = result.GetValue(maildir),
                    Mbox = result.GetValue(mbox),
                    Mda = result.GetValue(mda),
                    State = result.GetValue(state),
                    Keep = result.GetValue(keep),
                    MaxSize = result.GetValue(maxSize),
                    Limit = result.GetValue(limit),
                    Crlf = result.GetValue(crlf),
                    PasswordEnv = result.GetValue(common.PasswordEnv),
                    PasswordCommand = result.GetValue(common.PasswordCommand),
                    NetrcFile = result.GetValue(common.Netrc),
                    Insecure = result.GetValue(common.Insecure),
                    Fingerprint = result.GetValue(common.Fingerprint),
                    Auth = result.GetValue(common.Auth),
                    TimeoutSeconds = result.GetValue(common.Timeout),
                    EarlyCapa = !result.GetValue(noEarlyCapa),
                };
                if (settings.Problem() is { } problem)
                {
                    throw new UsageException(OptionName(problem.Setting) + problem.Problem);
                }

                accounts = [settings];
            }

            var mode = result.GetValue(quiet) ? ProgressMode.Quiet
                : Console.IsOutputRedirected || result.GetValue(common.Transcript) ? ProgressMode.Lines
                : ProgressMode.Bar;
            return await FetchRunner.RunAsync(accounts, result.GetValue(dryRun), result.GetValue(common.Transcript), windowBytes, mode, cancellationToken).ConfigureAwait(false);
        }));
        return command;
    }

    private static IReadOnlyList<FetchAccountSettings> ReadConfig(string file)
    {
        try
        {
            return FetchSettingsReader.ReadFile(file);
        }
        catch (ConfigException e)
        {
            throw new UsageException(e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or FormatException)
        {
            throw new UsageException($"cannot read {file}: {e.Message}");
        }
    }

    private static string OptionName(string setting) => setting switch
    {
        "Server" => "server: ",
        "Maildir" => string.Empty,
        "TimeoutSeconds" => "--timeout ",
        "MaxSize" => "--max-size ",
        _ => "--" + setting.ToLowerInvariant() + " ",
    };
}
