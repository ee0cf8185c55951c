using System.Globalization;

namespace PopGate.Bench.Download;

/// <summary>One cell of the benchmark: a one-way delay, a message count, and the tools that download that many.</summary>
public sealed record DownloadCell(int DelayMs, int Messages, IReadOnlyList<string> Tools)
{
    public TimeSpan OneWayDelay => TimeSpan.FromMilliseconds(DelayMs);

    /// <summary>Parses "DELAY:N[:tool,tool]", e.g. "150:20:fetchmail,getmail"; without tools, every tool.</summary>
    public static DownloadCell Parse(string text)
    {
        var parts = text.Split(':');
        if (parts.Length is < 2 or > 3)
        {
            throw new FormatException($"a cell is DELAY_MS:MESSAGES[:TOOL,...], not '{text}'");
        }

        var tools = parts.Length == 3 && parts[2] != "all"
            ? parts[2].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : DownloadOptions.AllTools;
        string[] known = [.. DownloadOptions.AllTools, .. DownloadOptions.PopGateVariants];
        foreach (var tool in tools)
        {
            if (!known.Contains(tool, StringComparer.Ordinal))
            {
                throw new FormatException($"unknown tool '{tool}'; known: {string.Join(", ", known)}");
            }
        }

        return new DownloadCell(
            int.Parse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture),
            int.Parse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture),
            tools);
    }

    public override string ToString() => $"{DelayMs}:{Messages}:{string.Join(',', Tools)}";
}
