namespace PopGate.Testing;

/// <summary>
/// Finds a peer program (python3, curl, fetchmail, ...) on PATH or in sbin folders. A missing peer fails the test:
/// `.ci/run` and `test.sh` install every peer, so a missing one is a broken set-up, never a reason to skip.
/// </summary>
public static class PeerProgram
{
    private static readonly string[] ExtraFolders = ["/usr/sbin", "/sbin", "/usr/lib/cyrus/bin", "/usr/local/bin"];

    public static string Require(string name)
    {
        var found = Find(name);
        if (found is null)
        {
            throw new InvalidOperationException(
                $"peer program '{name}' is not installed; run ./test.sh (or .ci/run) which installs every peer the tests use");
        }

        return found;
    }

    public static string? Find(string name)
    {
        if (Path.IsPathRooted(name))
        {
            return File.Exists(name) ? name : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(ExtraFolders))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
