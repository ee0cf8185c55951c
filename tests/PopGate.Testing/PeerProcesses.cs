using System.Diagnostics;

namespace PopGate.Testing;

/// <summary>
/// Finds and stops the processes of one private peer instance by an argument they all carry (its config path),
/// so that nothing else on the machine is ever signalled.
/// </summary>
public static class PeerProcesses
{
    /// <summary>Processes whose argv holds <paramref name="argument"/> exactly as one argument.</summary>
    public static IReadOnlyList<int> WithArgument(string argument)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || !IsAlive(pid))
            {
                continue;
            }

            if (HasArgument(pid, argument))
            {
                found.Add(pid);
            }
        }

        return found;
    }

    /// <summary>True when the process exists and is not a zombie waiting for a parent to reap it.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var close = stat.LastIndexOf(')');
            return close > 0 && close + 2 < stat.Length && stat[close + 2] is not ('Z' or 'X');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public static bool HasArgument(int pid, string argument)
    {
        try
        {
            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline");
            return cmdline.Split('\0').Contains(argument, StringComparer.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Sends TERM to each process, then KILL to those still alive after <paramref name="grace"/>.</summary>
    public static async Task StopAsync(IReadOnlyCollection<int> pids, TimeSpan grace)
    {
        if (pids.Count == 0)
        {
            return;
        }

        await ProcessRunner.RunAsync("kill", ["-TERM", .. pids.Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture))], TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        if (await WaitGoneAsync(pids, grace).ConfigureAwait(false))
        {
            return;
        }

        foreach (var pid in pids.Where(IsAlive))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
            }
        }

        await WaitGoneAsync(pids, TimeSpan.FromSeconds(2)).ConfigureAwait(false);
    }

    private static async Task<bool> WaitGoneAsync(IReadOnlyCollection<int> pids, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (pids.Any(IsAlive))
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(50).ConfigureAwait(false);
        }

        return true;
    }
}
