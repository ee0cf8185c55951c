using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;

namespace PopGate.Client;

/// <summary>The TRANSACTION state: listing, retrieving and marking messages.</summary>
public sealed partial class Pop3Client
{
    public Task<Pop3Stat> StatAsync(CancellationToken cancellationToken = default) =>
        Enqueue(new SingleLineCommand<Pop3Stat>("STAT", "STAT", reply =>
            ListingParser.TryParseStat(ReplyBytes(reply), out var stat, out var error)
                ? stat
                : throw Malformed("STAT", reply.Text, error), cancellationToken));

    /// <summary>LIST: every message not marked deleted, with its size. The sizes also size the RETR window.</summary>
    public Task<IReadOnlyList<Pop3ListEntry>> ListAsync(CancellationToken cancellationToken = default) =>
        Enqueue(new ListingCommand<Pop3ListEntry, IReadOnlyList<Pop3ListEntry>>(
            "LIST",
            "LIST",
            line => ListingParser.TryParseSize(line, out var number, out var size, out var error)
                ? new Pop3ListEntry(number, size)
                : throw Malformed("LIST", ServerText.Decode(line), error),
            (_, entries) =>
            {
                EnsureAscending("LIST", entries.Select(e => e.Number));
                lock (_sizesGate)
                {
                    _sizes.Clear();
                    foreach (var entry in entries)
                    {
                        _sizes[entry.Number] = entry.Size;
                    }
                }

                return entries;
            },
            cancellationToken));

    /// <summary>LIST n.</summary>
    public Task<Pop3ListEntry> ListAsync(int number, CancellationToken cancellationToken = default)
    {
        var line = CommandLine("LIST", Number(number));
        return Enqueue(new SingleLineCommand<Pop3ListEntry>("LIST", line, reply =>
            ListingParser.TryParseSize(ReplyBytes(reply), out var n, out var size, out var error) && n == number
                ? new Pop3ListEntry(n, size)
                : throw Malformed("LIST", reply.Text, error.Length > 0 ? error : $"it is about message {n}, not {number}"), cancellationToken));
    }

    /// <summary>UIDL: every message not marked deleted, with its unique id.</summary>
    public Task<IReadOnlyList<Pop3UidEntry>> UidlAsync(CancellationToken cancellationToken = default) =>
        Enqueue(new ListingCommand<Pop3UidEntry, IReadOnlyList<Pop3UidEntry>>(
            "UIDL",
            "UIDL",
            line => ListingParser.TryParseUid(line, out var number, out var uid, out var error)
                ? new Pop3UidEntry(number, uid)
                : throw Malformed("UIDL", ServerText.Decode(line), error),
            (_, entries) =>
            {
                EnsureAscending("UIDL", entries.Select(e => e.Number));
                return entries;
            },
            cancellationToken));

    /// <summary>UIDL n.</summary>
    public Task<Pop3UidEntry> UidlAsync(int number, CancellationToken cancellationToken = default)
    {
        var line = CommandLine("UIDL", Number(number));
        return Enqueue(new SingleLineCommand<Pop3UidEntry>("UIDL", line, reply =>
            ListingParser.TryParseUid(ReplyBytes(reply), out var n, out var uid, out var error) && n == number
                ? new Pop3UidEntry(n, uid)
                : throw Malformed("UIDL", reply.Text, error.Length > 0 ? error : $"it is about message {n}, not {number}"), cancellationToken));
    }

    /// <summary>RETR n into a stream, unstuffed; returns the octets written. The stream is left open.</summary>
    public Task<long> RetrAsync(int number, Stream destination, CancellationToken cancellationToken = default) =>
        Body("RETR", number, null, BodyTargets.To(destination), cancellationToken);

    /// <summary>RETR n into a pipe, flushed as it arrives; returns the octets written. The writer is not completed.</summary>
    public Task<long> RetrAsync(int number, PipeWriter destination, CancellationToken cancellationToken = default) =>
        Body("RETR", number, null, BodyTargets.To(destination), cancellationToken);

    /// <summary>RETR n into a buffer writer; returns the octets written. Holding the whole message is then the caller's choice.</summary>
    public Task<long> RetrAsync(int number, IBufferWriter<byte> destination, CancellationToken cancellationToken = default) =>
        Body("RETR", number, null, BodyTargets.To(destination), cancellationToken);

    /// <summary>RETR n, handing the body to <paramref name="consumer"/> as it arrives (see <see cref="Pop3BodyConsumer{T}"/>).</summary>
    public Task<T> RetrAsync<T>(int number, Pop3BodyConsumer<T> consumer, CancellationToken cancellationToken = default) =>
        Body("RETR", number, null, BodyTargets.To(consumer), cancellationToken);

    /// <summary>TOP n lines: the header and the first lines of the body, into a stream.</summary>
    public Task<long> TopAsync(int number, int lines, Stream destination, CancellationToken cancellationToken = default) =>
        Body("TOP", number, lines, BodyTargets.To(destination), cancellationToken);

    public Task<long> TopAsync(int number, int lines, PipeWriter destination, CancellationToken cancellationToken = default) =>
        Body("TOP", number, lines, BodyTargets.To(destination), cancellationToken);

    public Task<long> TopAsync(int number, int lines, IBufferWriter<byte> destination, CancellationToken cancellationToken = default) =>
        Body("TOP", number, lines, BodyTargets.To(destination), cancellationToken);

    public Task<T> TopAsync<T>(int number, int lines, Pop3BodyConsumer<T> consumer, CancellationToken cancellationToken = default) =>
        Body("TOP", number, lines, BodyTargets.To(consumer), cancellationToken);

    /// <summary>DELE n: marks the message; the server removes it only at <see cref="QuitAsync"/>.</summary>
    public Task DeleAsync(int number, CancellationToken cancellationToken = default) =>
        Enqueue(new SingleLineCommand<Pop3Reply>("DELE", CommandLine("DELE", Number(number)), reply => reply, cancellationToken));

    public Task NoopAsync(CancellationToken cancellationToken = default) =>
        Enqueue(new SingleLineCommand<Pop3Reply>("NOOP", "NOOP", reply => reply, cancellationToken));

    /// <summary>RSET: unmarks every message marked with DELE in this session.</summary>
    public Task RsetAsync(CancellationToken cancellationToken = default) =>
        Enqueue(new SingleLineCommand<Pop3Reply>("RSET", "RSET", reply => reply, cancellationToken));

    /// <summary>The size LIST reported for a message, when a full LIST was read in this session.</summary>
    public long? KnownSize(int number)
    {
        lock (_sizesGate)
        {
            return _sizes.TryGetValue(number, out var size) ? size : null;
        }
    }

    private Task<T> Body<T>(string verb, int number, int? lines, IBodyTarget<T> target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (lines is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(lines), "TOP takes zero or more lines");
        }

        var line = lines is null
            ? CommandLine(verb, Number(number))
            : CommandLine(verb, Number(number), lines.Value.ToString(CultureInfo.InvariantCulture));

        // A body is counted against the byte window by its LIST size; a TOP or an unlisted message costs nothing.
        var expected = lines is null ? KnownSize(number) ?? 0 : 0;
        return Enqueue(new BodyCommand<T>(verb, line, expected, target, cancellationToken));
    }

    private static string Number(int number)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(number, 1);
        return number.ToString(CultureInfo.InvariantCulture);
    }

    private static byte[] ReplyBytes(Pop3Reply reply) => System.Text.Encoding.UTF8.GetBytes(reply.Text);

    private static Pop3ProtocolException Malformed(string verb, string text, string why) =>
        new($"malformed {verb} reply '{text}': {why}");

    // Gaps are fine (messages marked deleted are not listed), repeats or disorder are not.
    private static void EnsureAscending(string verb, IEnumerable<int> numbers)
    {
        var previous = 0;
        foreach (var number in numbers)
        {
            if (number <= previous)
            {
                throw new Pop3ProtocolException($"malformed {verb} listing: message {number} comes after {previous}");
            }

            previous = number;
        }
    }
}
