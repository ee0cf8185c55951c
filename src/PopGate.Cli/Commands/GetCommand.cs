using System.CommandLine;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using PopGate.Client;

namespace PopGate.Cli.Commands;

/// <summary>`popgate get SERVER N|UIDL... [-o FILE|DIR]`: messages' raw bytes to standard output, a file or a folder.</summary>
internal static class GetCommand
{
    public static Command Create()
    {
        var common = new ClientCommandOptions();
        var messages = new Argument<string[]>("messages") { Description = "message numbers or UIDLs", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string?>("--output", "-o")
        {
            Description = "a file (one message) or a folder (an existing one, or a path ending in '/'); standard output when absent",
        };
        var byUid = new Option<bool>("--uid") { Description = "read every selector as a UIDL, even when it is all digits" };
        var command = new Command("get", "Download messages as they are on the server (CRLF line ends), leaving them there.");
        common.AddTo(command);
        command.Arguments.Add(messages);
        command.Options.Add(output);
        command.Options.Add(byUid);
        command.SetAction((result, cancellationToken) => ClientErrors.RunAsync("get", async () =>
        {
            var settings = common.Read(result);
            var selectors = result.GetValue(messages)!;
            var target = Target.From(result.GetValue(output), selectors.Length);
            await using var client = await ClientSession.OpenAsync(settings, login: true, cancellationToken).ConfigureAwait(false);
            var listing = await MessageSelection.ListAsync(client, cancellationToken).ConfigureAwait(false);
            var picked = MessageSelection.Select(listing, selectors, result.GetValue(byUid));
            var names = target.Folder is null ? null : FileNames.For(picked);

            // Every RETR is queued at once; each body is written out as it arrives, in order.
            var retrievals = picked.Select(m => client.RetrAsync(m.Number, (body, ct) =>
                target.WriteAsync(body, m, names?[m], ct), cancellationToken)).ToList();
            var written = await Task.WhenAll(retrievals).ConfigureAwait(false);
            await client.QuitAsync(cancellationToken).ConfigureAwait(false);
            if (target.Folder is not null || target.File is not null)
            {
                foreach (var line in written)
                {
                    await Console.Out.WriteLineAsync(line).ConfigureAwait(false);
                }
            }

            return ClientExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>Where the messages go.</summary>
    private sealed record Target(string? File, string? Folder)
    {
        public static Target From(string? output, int count)
        {
            if (output is null)
            {
                return new Target(null, null);
            }

            if (Directory.Exists(output) || output.EndsWith('/') || output.EndsWith(Path.DirectorySeparatorChar))
            {
                Directory.CreateDirectory(output);
                return new Target(null, Path.GetFullPath(output));
            }

            if (count > 1)
            {
                throw new UsageException($"{count} messages cannot go into the one file '{output}'; give a folder (ending in '/')");
            }

            return new Target(Path.GetFullPath(output), null);
        }

        /// <summary>Streams one body to its place; a file appears only once complete (written aside, then renamed).</summary>
        public async ValueTask<string> WriteAsync(PipeReader body, ListedMessage message, string? name, CancellationToken cancellationToken)
        {
            var path = File ?? (Folder is null ? null : Path.Combine(Folder, name!));
            if (path is null)
            {
                await using var stdout = Console.OpenStandardOutput();
                await body.CopyToAsync(stdout, cancellationToken).ConfigureAwait(false);
                return string.Empty;
            }

            var partial = path + ".part";
            long octets;
            try
            {
                await using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true))
                {
                    await body.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                    octets = file.Length;
                }

                System.IO.File.Move(partial, path, overwrite: true);
            }
            catch
            {
                System.IO.File.Delete(partial);
                throw;
            }

            return $"{message.Number} {message.Uid ?? "-"} -> {path} ({octets.ToString(CultureInfo.InvariantCulture)} octets)";
        }
    }

    /// <summary>File names from UIDLs (or numbers), reduced to safe characters and kept distinct.</summary>
    private static class FileNames
    {
        public static Dictionary<ListedMessage, string> For(IReadOnlyList<ListedMessage> messages)
        {
            var names = new Dictionary<ListedMessage, string>();
            var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var m in messages)
            {
                var stem = m.Uid is null ? m.Number.ToString(CultureInfo.InvariantCulture) : Safe(m.Uid);
                var name = stem + ".eml";
                for (var n = 2; !used.Add(name); n++)
                {
                    name = $"{stem}-{n.ToString(CultureInfo.InvariantCulture)}.eml";
                }

                names[m] = name;
            }

            return names;
        }

        private static string Safe(string uid)
        {
            var text = new StringBuilder(uid.Length);
            foreach (var c in uid)
            {
                text.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
            }

            var name = text.ToString().TrimStart('.');
            return name.Length == 0 ? "message" : name;
        }
    }
}
