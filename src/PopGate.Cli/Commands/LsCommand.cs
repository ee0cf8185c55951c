using System.Buffers;
using System.CommandLine;
using System.Globalization;
using System.IO.Pipelines;
using System.Text.Json;
using PopGate.Client;
using PopGate.Mime;

namespace PopGate.Cli.Commands;

/// <summary>`popgate ls SERVER [--headers] [--json]`: every message with its number, size and UIDL.</summary>
internal static class LsCommand
{
    /// <summary>How much of a header TOP n 0 may bring before the rest is skipped.</summary>
    private const int MaxHeader = 256 * 1024;

    public static Command Create()
    {
        var common = new ClientCommandOptions();
        var headers = new Option<bool>("--headers") { Description = "also show Date, From and Subject (TOP n 0, decoded)" };
        var json = new Option<bool>("--json") { Description = "print JSON instead of text" };
        var command = new Command("ls", "List the messages on a POP3 server: number, size, UIDL, and optionally their headers.");
        common.AddTo(command);
        command.Options.Add(headers);
        command.Options.Add(json);
        command.SetAction((result, cancellationToken) => ClientErrors.RunAsync("ls", async () =>
        {
            var settings = common.Read(result);
            await using var client = await ClientSession.OpenAsync(settings, login: true, cancellationToken).ConfigureAwait(false);
            var listing = await MessageSelection.ListAsync(client, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<HeaderFields?> fields = result.GetValue(headers)
                ? await Task.WhenAll(listing.Select(m => ReadHeaderAsync(client, m.Number, cancellationToken))).ConfigureAwait(false)
                : listing.Select(_ => (HeaderFields?)null).ToList();
            await client.QuitAsync(cancellationToken).ConfigureAwait(false);

            if (result.GetValue(json))
            {
                await using var stdout = Console.OpenStandardOutput();
                WriteJson(stdout, listing, fields, result.GetValue(headers));
                await stdout.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await Console.Out.WriteAsync(ToText(listing, fields, result.GetValue(headers))).ConfigureAwait(false);
            }

            return ClientExitCodes.Ok;
        }));
        return command;
    }

    // All TOPs are queued at once, so they go out together on a pipelining server.
    private static async Task<HeaderFields?> ReadHeaderAsync(Pop3Client client, int number, CancellationToken cancellationToken)
    {
        try
        {
            return await client.TopAsync(number, 0, async (body, ct) =>
            {
                var header = new ArrayBufferWriter<byte>();
                while (header.WrittenCount < MaxHeader)
                {
                    var read = await body.ReadAsync(ct).ConfigureAwait(false);
                    foreach (var segment in read.Buffer)
                    {
                        header.Write(segment.Span);
                    }

                    body.AdvanceTo(read.Buffer.End);
                    if (read.IsCompleted)
                    {
                        break;
                    }
                }

                return HeaderFields.Parse(header.WrittenSpan);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Pop3CommandException)
        {
            // A server without TOP, or a message gone meanwhile: show the listing without its header.
            return null;
        }
    }

    private static string ToText(IReadOnlyList<ListedMessage> listing, IReadOnlyList<HeaderFields?> fields, bool headers)
    {
        if (listing.Count == 0)
        {
            return "no messages\n";
        }

        var numberWidth = listing.Max(m => m.Number.ToString(CultureInfo.InvariantCulture).Length);
        var sizeWidth = listing.Max(m => m.Size.ToString(CultureInfo.InvariantCulture).Length);
        var uidWidth = listing.Max(m => m.Uid?.Length ?? 1);
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < listing.Count; i++)
        {
            var m = listing[i];
            text.Append(m.Number.ToString(CultureInfo.InvariantCulture).PadLeft(numberWidth)).Append("  ")
                .Append(m.Size.ToString(CultureInfo.InvariantCulture).PadLeft(sizeWidth)).Append("  ")
                .Append((m.Uid ?? "-").PadRight(uidWidth));
            if (headers)
            {
                var f = fields[i];
                text.Append("  ").Append(Field(f, "Date")).Append("  |  ").Append(Field(f, "From")).Append("  |  ").Append(Field(f, "Subject"));
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    private static string Field(HeaderFields? fields, string name) => Terminal.Clean(fields?.Decoded(name)) is { Length: > 0 } value ? value : "-";

    private static void WriteJson(Stream output, IReadOnlyList<ListedMessage> listing, IReadOnlyList<HeaderFields?> fields, bool headers)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartArray();
        for (var i = 0; i < listing.Count; i++)
        {
            json.WriteStartObject();
            json.WriteNumber("number", listing[i].Number);
            json.WriteNumber("size", listing[i].Size);
            json.WriteString("uid", listing[i].Uid);
            if (headers)
            {
                json.WriteString("date", fields[i]?.Decoded("Date"));
                json.WriteString("from", fields[i]?.Decoded("From"));
                json.WriteString("subject", fields[i]?.Decoded("Subject"));
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
