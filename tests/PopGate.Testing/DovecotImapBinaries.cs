namespace PopGate.Testing;

/// <summary>
/// Dovecot's IMAP programs without installing dovecot-imapd (it conflicts with cyrus-imapd): the .deb of exactly the
/// installed dovecot-core version is fetched once with apt-get download and unpacked with dpkg-deb into a cache
/// folder shared by every test run on the machine.
/// </summary>
public static class DovecotImapBinaries
{
    /// <summary>The cache; kept between runs, one subfolder per dovecot-core version.</summary>
    public static string CacheRoot => Path.Combine(Path.GetTempPath(), "popgate-dovecot-imapd");

    /// <summary>The IMAP services of dovecot-imapd, each of which must name its program in the config.</summary>
    public static readonly IReadOnlyList<string> Services =
        ["imap", "imap-login", "imap-urlauth", "imap-urlauth-login", "imap-urlauth-worker", "imap-hibernate"];

    private static readonly SemaphoreSlim Gate = new(1, 1);

    /// <summary>The folder holding imap, imap-login, ... for the installed dovecot-core; fetched on first use.</summary>
    public static async Task<string> FolderAsync()
    {
        var version = await InstalledVersionAsync().ConfigureAwait(false);
        var root = Path.Combine(CacheRoot, version.Replace(':', '_'));
        var programs = Path.Combine(root, "root", "usr", "lib", "dovecot");
        await Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (IsComplete(root, programs))
            {
                return programs;
            }

            Directory.CreateDirectory(root);
            TempDir.MakeTraversable(CacheRoot);
            TempDir.MakeTraversable(root);
            // Other test processes may fetch at the same time: one holds the lock file, the others wait for it.
            using var fileLock = await LockAsync(Path.Combine(root, ".lock")).ConfigureAwait(false);
            if (!IsComplete(root, programs))
            {
                await FetchAsync(root, version).ConfigureAwait(false);
            }

            return IsComplete(root, programs)
                ? programs
                : throw new InvalidOperationException($"no imap programs in {root} after unpacking dovecot-imapd {version}");
        }
        finally
        {
            Gate.Release();
        }
    }

    private static bool IsComplete(string root, string programs) =>
        File.Exists(Path.Combine(root, ".complete"))
        && File.Exists(Path.Combine(programs, "imap")) && File.Exists(Path.Combine(programs, "imap-login"));

    private static async Task<string> InstalledVersionAsync()
    {
        PeerProgram.Require("dovecot");
        var query = await ProcessRunner.RunAsync("dpkg-query", ["-W", "-f", "${Version}", "dovecot-core"], TimeSpan.FromSeconds(20)).ConfigureAwait(false);
        var version = query.StdOut.Trim();
        if (query.ExitCode != 0 || version.Length == 0)
        {
            throw new InvalidOperationException($"dovecot-core is not an installed Debian package: {query}");
        }

        return version;
    }

    private static async Task FetchAsync(string root, string version)
    {
        foreach (var old in Directory.EnumerateFiles(root, "*.deb"))
        {
            File.Delete(old);
        }

        var download = await DownloadAsync(root, version).ConfigureAwait(false);
        if (download.ExitCode != 0)
        {
            // A fresh container may have no package lists yet.
            await ProcessRunner.RunAsync(PeerProgram.Require("apt-get"), ["-qq", "update"], TimeSpan.FromMinutes(5)).ConfigureAwait(false);
            download = await DownloadAsync(root, version).ConfigureAwait(false);
        }

        var deb = Directory.EnumerateFiles(root, "dovecot-imapd_*.deb").FirstOrDefault();
        if (download.ExitCode != 0 || deb is null)
        {
            throw new InvalidOperationException($"apt-get download dovecot-imapd={version} failed (run apt-get update?): {download}");
        }

        var unpacked = Path.Combine(root, "root");
        if (Directory.Exists(unpacked))
        {
            Directory.Delete(unpacked, recursive: true);
        }

        var extract = await ProcessRunner.RunAsync(PeerProgram.Require("dpkg-deb"), ["-x", deb, unpacked], TimeSpan.FromMinutes(1)).ConfigureAwait(false);
        if (extract.ExitCode != 0)
        {
            throw new InvalidOperationException($"dpkg-deb -x failed: {extract}");
        }

        // The login and imap processes run as dovecot's own users.
        var chmod = await ProcessRunner.RunAsync("chmod", ["-R", "go+rX", unpacked], TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        if (chmod.ExitCode != 0)
        {
            throw new InvalidOperationException($"chmod failed: {chmod}");
        }

        await File.WriteAllTextAsync(Path.Combine(root, ".complete"), version).ConfigureAwait(false);
    }

    /// <summary>apt's sandbox user (_apt) may not write into the cache; root downloads it itself.</summary>
    private static Task<ProcessResult> DownloadAsync(string root, string version) =>
        ProcessRunner.RunAsync(
            PeerProgram.Require("apt-get"),
            ["-q", "-o", "APT::Sandbox::User=root", "download", $"dovecot-imapd={version}"],
            TimeSpan.FromMinutes(3),
            workingDirectory: root);

    private static async Task<FileStream> LockAsync(string path)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(4);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200).ConfigureAwait(false);
            }
        }
    }
}
