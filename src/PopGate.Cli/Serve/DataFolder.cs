namespace PopGate.Cli.Serve;

/// <summary>Where PopGate keeps its own files (the demo maildrop, its users file and certificate).</summary>
internal static class DataFolder
{
    public static string Resolve(string? given)
    {
        if (!string.IsNullOrEmpty(given))
        {
            return Path.GetFullPath(given);
        }

        if (Environment.GetEnvironmentVariable("POPGATE_DATA") is { Length: > 0 } fromEnv)
        {
            return Path.GetFullPath(fromEnv);
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        var baseDir = string.IsNullOrEmpty(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share")
            : xdg;
        return Path.Combine(baseDir, "popgate");
    }
}
