using System.Globalization;

namespace PopGate.Bench.Measure;

/// <summary>Memory of a process tree: how many processes, and the sums of their RSS and PSS.</summary>
public sealed record TreeMemory(int Processes, long RssKiB, long PssKiB);

/// <summary>
/// A server's whole process tree read from /proc: a root and all its descendants, found through each process's
/// parent. Dovecot is many processes, `popgate serve` is one; both are measured the same way.
/// </summary>
public static class ProcessTree
{
    /// <summary>Clock ticks per second of /proc/PID/stat times (USER_HZ, 100 on Linux).</summary>
    private const double TicksPerSecond = 100;

    public static IReadOnlyList<int> Pids(int root)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                || ReadStat(pid) is not { } fields)
            {
                continue;
            }

            var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
            if (!children.TryGetValue(parent, out var list))
            {
                children[parent] = list = [];
            }

            list.Add(pid);
        }

        var result = new List<int>();
        var stack = new Stack<int>([root]);
        while (stack.TryPop(out var pid))
        {
            result.Add(pid);
            foreach (var child in children.GetValueOrDefault(pid) ?? [])
            {
                stack.Push(child);
            }
        }

        return result;
    }

    /// <summary>Sums Rss and Pss of /proc/PID/smaps_rollup over the tree (PSS shares each shared page fairly).</summary>
    public static TreeMemory Memory(int root)
    {
        var pids = Pids(root);
        long rss = 0, pss = 0;
        foreach (var pid in pids)
        {
            try
            {
                foreach (var line in File.ReadLines($"/proc/{pid}/smaps_rollup"))
                {
                    if (line.StartsWith("Rss:", StringComparison.Ordinal))
                    {
                        rss += KiB(line);
                    }
                    else if (line.StartsWith("Pss:", StringComparison.Ordinal))
                    {
                        pss += KiB(line);
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while the tree was read.
            }
        }

        return new TreeMemory(pids.Count, rss, pss);
    }

    /// <summary>
    /// CPU seconds used by the tree so far: each live process's own time plus the time of its children that ended
    /// (which the kernel adds to the parent that reaps them), so short-lived session processes are counted too.
    /// </summary>
    public static double CpuSeconds(int root)
    {
        long ticks = 0;
        foreach (var pid in Pids(root))
        {
            if (ReadStat(pid) is { } fields)
            {
                // utime, stime, cutime, cstime are fields 14-17 of stat; here counted from field 3 (state) as 0.
                for (var i = 11; i <= 14; i++)
                {
                    ticks += long.Parse(fields[i], CultureInfo.InvariantCulture);
                }
            }
        }

        return ticks / TicksPerSecond;
    }

    /// <summary>The fields of /proc/PID/stat after the command name: [0] state, [1] parent, ...</summary>
    private static string[]? ReadStat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static long KiB(string line) =>
        long.Parse(line.AsSpan(4).Trim().TrimEnd("kB").Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
}
