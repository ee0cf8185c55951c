using System.Security.Cryptography;
using System.Text;
using PopGate.Mime;
using PopGate.Stores;

namespace PopGate.Jmap.Server;

/// <summary>Reads a message's header from a maildrop into an <see cref="EmailSummary"/>.</summary>
internal static class SummaryReader
{
    public static async Task<EmailSummary> ReadAsync(IMaildrop maildrop, int index, int maxHeaderBytes, bool countAll, CancellationToken cancellationToken)
    {
        var sink = new HeaderBlockSink(maxHeaderBytes, countAll);
        await maildrop.WriteMessageAsync(index, sink, 0, cancellationToken).ConfigureAwait(false);
        var fields = HeaderFields.Parse(sink.Header);
        var date = Header(fields, "Date") is { } d && MailDate.TryParse(d, out var parsed) ? parsed : (DateTimeOffset?)null;
        return new EmailSummary(
            Header(fields, "Subject") is { } subject ? EncodedWords.Decode(subject) : null,
            Addresses(fields, "From"),
            Addresses(fields, "To"),
            Addresses(fields, "Cc"),
            Addresses(fields, "Reply-To"),
            MessageIds(fields, "Message-ID"),
            MessageIds(fields, "In-Reply-To"),
            MessageIds(fields, "References"),
            date,
            (ReceivedDate(fields) ?? date ?? DateTimeOffset.UnixEpoch).ToUniversalTime(),
            countAll ? sink.TotalOctets : -1);
    }

    /// <summary>A short JMAP Id (URL-safe base64 alphabet) derived from a UIDL, the same every time.</summary>
    public static string IdFor(char prefix, string uid)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(uid), hash);
        return prefix + Convert.ToBase64String(hash[..15]).Replace('+', '-').Replace('/', '_');
    }

    private static string? Header(HeaderFields fields, string name) => fields.Raw(name);

    private static IReadOnlyList<MailAddress>? Addresses(HeaderFields fields, string name) =>
        Header(fields, name) is { } value ? MailAddress.ParseList(value) : null;

    /// <summary>The msg-ids of a field without their angle brackets (RFC 8621 section 4.1.2.4).</summary>
    private static IReadOnlyList<string>? MessageIds(HeaderFields fields, string name)
    {
        if (Header(fields, name) is not { } value)
        {
            return null;
        }

        var ids = new List<string>();
        var at = 0;
        while ((at = value.IndexOf('<', at)) >= 0)
        {
            var close = value.IndexOf('>', at + 1);
            if (close < 0)
            {
                break;
            }

            var id = value[(at + 1)..close].Trim();
            if (id.Length > 0)
            {
                ids.Add(id);
            }

            at = close + 1;
        }

        return ids.Count == 0 ? null : ids;
    }

    /// <summary>The time in the top Received field (after its last ';'): when the message reached its mailbox.</summary>
    private static DateTimeOffset? ReceivedDate(HeaderFields fields)
    {
        var received = Header(fields, "Received");
        var semicolon = received?.LastIndexOf(';') ?? -1;
        return semicolon >= 0 && MailDate.TryParse(received![(semicolon + 1)..], out var value) ? value : null;
    }
}
