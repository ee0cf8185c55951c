using System.CommandLine;
using PopGate.Client;

namespace PopGate.Cli.Commands;

/// <summary>`popgate rm SERVER N|UIDL...`: deletes messages (at QUIT) and reports what was removed.</summary>
internal static class RmCommand
{
    public static Command Create()
    {
        var common = new ClientCommandOptions();
        var messages = new Argument<string[]>("messages") { Description = "message numbers or UIDLs", Arity = ArgumentArity.OneOrMore };
        var byUid = new Option<bool>("--uid") { Description = "read every selector as a UIDL, even when it is all digits" };
        var command = new Command("rm", "Delete messages from a POP3 server: all of them or, if any is missing or refused, none.");
        common.AddTo(command);
        command.Arguments.Add(messages);
        command.Options.Add(byUid);
        command.SetAction((result, cancellationToken) => ClientErrors.RunAsync("rm", async () =>
        {
            var settings = common.Read(result);
            await using var client = await ClientSession.OpenAsync(settings, login: true, cancellationToken).ConfigureAwait(false);
            var listing = await MessageSelection.ListAsync(client, cancellationToken).ConfigureAwait(false);
            var picked = MessageSelection.Select(listing, result.GetValue(messages)!, result.GetValue(byUid));

            // Leaving without QUIT undoes every DELE, so a refused one means nothing is removed.
            await Task.WhenAll(picked.Select(m => client.DeleAsync(m.Number, cancellationToken))).ConfigureAwait(false);
            await client.QuitAsync(cancellationToken).ConfigureAwait(false);
            foreach (var m in picked)
            {
                await Console.Out.WriteLineAsync($"removed {m.Number} {Terminal.Clean(m.Uid ?? "-")} ({m.Size} octets)").ConfigureAwait(false);
            }

            await Console.Out.WriteLineAsync($"{picked.Count} message{(picked.Count == 1 ? string.Empty : "s")} removed").ConfigureAwait(false);
            return ClientExitCodes.Ok;
        }));
        return command;
    }
}
