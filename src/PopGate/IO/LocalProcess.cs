namespace PopGate.IO;

/// <summary>
/// Whether a process named in a lock or a temporary file name still runs on this machine: a file whose writer is
/// gone was left by a killed process and may be cleaned up at once instead of after some stale age.
/// </summary>
public static class LocalProcess
{
    public static bool IsRunning(int pid)
    {
        if (pid <= 0)
        {
            return false;
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
