using System.Globalization;
using System.Text;

namespace PopGate.Fetch;

/// <summary>
/// File names for messages written into a Maildir: time.MmicrosecondsPpidQcount-DIGEST.host, the usual unique name
/// with the message's digest added so a delivery that was never recorded can be found again by the next run.
/// </summary>
public static class MaildirNames
{
    private static long _count;

    public static string New(string? digest, DateTimeOffset now)
    {
        var seconds = now.ToUnixTimeSeconds();
        var micros = (now.UtcTicks % TimeSpan.TicksPerSecond) / 10;
        var count = Interlocked.Increment(ref _count);
        var unique = string.Create(CultureInfo.InvariantCulture, $"M{micros}P{Environment.ProcessId}Q{count}");
        if (digest is not null)
        {
            unique += "-" + digest;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{seconds}.{unique}.{Host}");
    }

    /// <summary>The digest a name carries, or null (a name from another program, or a message without UIDL).</summary>
    public static string? DigestOf(string fileName)
    {
        var colon = fileName.IndexOf(':', StringComparison.Ordinal);
        var name = colon >= 0 ? fileName.AsSpan(0, colon) : fileName.AsSpan();
        var firstDot = name.IndexOf('.');
        if (firstDot < 0)
        {
            return null;
        }

        var rest = name[(firstDot + 1)..];
        var secondDot = rest.IndexOf('.');
        var unique = secondDot < 0 ? rest : rest[..secondDot];
        var dash = unique.LastIndexOf('-');
        if (dash < 0 || unique.Length - dash - 1 != 32)
        {
            return null;
        }

        var digest = unique[(dash + 1)..];
        foreach (var c in digest)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return null;
            }
        }

        return digest.ToString();
    }

    /// <summary>The process id in a name made by <see cref="New"/> (the digits after 'P' in the unique part), or null.</summary>
    public static int? WriterOf(string fileName)
    {
        var parts = fileName.Split('.');
        if (parts.Length < 3)
        {
            return null;
        }

        var unique = parts[1];
        var p = unique.IndexOf('P', StringComparison.Ordinal);
        var q = unique.IndexOf('Q', StringComparison.Ordinal);
        return p >= 0 && q > p + 1 && int.TryParse(unique.AsSpan(p + 1, q - p - 1), System.Globalization.NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            ? pid
            : null;
    }

    // Maildir readers split names on '/' and ':' (flags), so the host name must not carry them.
    private static readonly string Host = Sanitize(Environment.MachineName);

    private static string Sanitize(string host)
    {
        var output = new StringBuilder(host.Length);
        foreach (var c in host)
        {
            output.Append(c switch
            {
                '/' => "\\057",
                ':' => "\\072",
                _ when char.IsControl(c) || c == ' ' => "_",
                _ => c.ToString(),
            });
        }

        return output.Length == 0 ? "localhost" : output.ToString();
    }
}
