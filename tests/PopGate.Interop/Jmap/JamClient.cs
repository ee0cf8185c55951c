using System.Text;
using System.Text.Json;
using PopGate.Testing;

namespace PopGate.Interop.Jmap;

/// <summary>One email as the npm JMAP client saw and downloaded it.</summary>
internal sealed record JamEmail(string Id, string BlobId, long Size, long Downloaded, string Sha256, string? Subject);

/// <summary>
/// jmap-jam (an independent JMAP client from the npm registry) run by node: installed with `npm ci` from the
/// committed lock file into the test output the first time, then reused.
/// </summary>
internal static class JamClient
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    private static string Folder => Path.Combine(AppContext.BaseDirectory, "Jmap", "npm");

    public static async Task<IReadOnlyList<JamEmail>> ListAndDownloadAsync(Uri sessionUrl, string user, string password)
    {
        await EnsureInstalledAsync();
        var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
        var result = await ProcessRunner.RunAsync(
            PeerProgram.Require("node"), [Path.Combine(Folder, "jam-list.mjs"), sessionUrl.AbsoluteUri, token], TimeSpan.FromSeconds(60), workingDirectory: Folder);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"jmap-jam failed: {result}");
        }

        var options = new JsonSerializerOptions { PropertyNameCaseInsensitive = true };
        return result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => JsonSerializer.Deserialize<JamEmail>(line, options)!)
            .ToList();
    }

    private static async Task EnsureInstalledAsync()
    {
        await InstallGate.WaitAsync();
        try
        {
            if (File.Exists(Path.Combine(Folder, "node_modules", "jmap-jam", "package.json")))
            {
                return;
            }

            var result = await ProcessRunner.RunAsync(
                PeerProgram.Require("npm"), ["ci", "--no-audit", "--no-fund", "--loglevel=error"], TimeSpan.FromMinutes(3), workingDirectory: Folder);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"npm ci of the JMAP test client failed: {result}");
            }
        }
        finally
        {
            InstallGate.Release();
        }
    }
}
