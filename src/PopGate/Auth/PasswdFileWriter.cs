using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using PopGate.IO;

namespace PopGate.Auth;

/// <summary>
/// Sets one user's password field in a users file: every other byte of the file stays as it was, and the file is
/// replaced atomically (temporary file in the same folder, fsync, rename, fsync of the folder).
/// </summary>
internal static class PasswdFileWriter
{
    private const UnixFileMode NewFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(10);

    public static async Task SetPasswordAsync(string path, string user, string passwordField, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ValidateUser(user);
        var target = ResolveTarget(Path.GetFullPath(path));
        var folder = Path.GetDirectoryName(target)!;

        // Two concurrent writers would each rename their own copy and one change would be lost.
        using var writeLock = await AcquireLockAsync(target + ".lock", ct).ConfigureAwait(false);
        var exists = File.Exists(target);
        var existing = exists ? await File.ReadAllBytesAsync(target, ct).ConfigureAwait(false) : [];
        var updated = Replace(existing, user, passwordField, target);
        var mode = exists && !OperatingSystem.IsWindows() ? File.GetUnixFileMode(target) : NewFileMode;

        var temp = Path.Combine(folder, $".{Path.GetFileName(target)}.{Convert.ToHexString(RandomNumberGenerator.GetBytes(6))}.tmp");
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                Options = FileOptions.Asynchronous,
            };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = NewFileMode;
            }

            var stream = new FileStream(temp, options);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(updated, ct).ConfigureAwait(false);
                await stream.FlushAsync(ct).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, mode);
            }

            File.Move(temp, target, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }

        DirectorySync.Flush(folder);
    }

    /// <summary>The content with the user's password field replaced, or the user appended.</summary>
    internal static byte[] Replace(ReadOnlySpan<byte> content, string user, string passwordField, string path)
    {
        var name = Encoding.UTF8.GetBytes(user);
        var field = Encoding.UTF8.GetBytes(passwordField);
        var output = new ArrayBufferWriter<byte>(content.Length + name.Length + field.Length + 2);
        var replacedOn = 0;
        var lineNumber = 0;
        var rest = content;
        while (!rest.IsEmpty)
        {
            lineNumber++;
            var newline = rest.IndexOf((byte)'\n');
            var line = newline < 0 ? rest : rest[..(newline + 1)];
            rest = rest[line.Length..];
            var body = line.TrimEnd("\r\n"u8);
            var colon = body.IndexOf((byte)':');
            var lineUser = colon < 0 ? body : body[..colon];
            if (!lineUser.SequenceEqual(name))
            {
                output.Write(line);
                continue;
            }

            if (replacedOn != 0)
            {
                throw new PasswdFileException(path, lineNumber, $"duplicate user '{user}' (first on line {replacedOn})");
            }

            replacedOn = lineNumber;
            var afterPassword = colon < 0 ? -1 : body[(colon + 1)..].IndexOf((byte)':');
            output.Write(name);
            output.Write(":"u8);
            output.Write(field);
            if (afterPassword >= 0)
            {
                output.Write(body[(colon + 1 + afterPassword)..]);
            }

            output.Write(line[body.Length..]);
        }

        if (replacedOn == 0)
        {
            if (!content.IsEmpty && content[^1] != (byte)'\n')
            {
                output.Write("\n"u8);
            }

            output.Write(name);
            output.Write(":"u8);
            output.Write(field);
            output.Write("\n"u8);
        }

        return output.WrittenSpan.ToArray();
    }

    private static void ValidateUser(string user)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        foreach (var c in user)
        {
            if (c == ':' || char.IsControl(c) || char.IsWhiteSpace(c))
            {
                throw new ArgumentException("a user name cannot hold ':', white space or control characters", nameof(user));
            }
        }

        if (user[0] == '#')
        {
            throw new ArgumentException("a user name cannot start with '#' (that makes a comment line)", nameof(user));
        }
    }

    // Renaming over a symbolic link would replace the link itself; write where it points instead.
    private static string ResolveTarget(string path)
    {
        var info = new FileInfo(path);
        return info.LinkTarget is null ? path : info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
    }

    private static async Task<FileStream> AcquireLockAsync(string lockPath, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + LockWait;
        while (true)
        {
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = NewFileMode;
                }

                return new FileStream(lockPath, options);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50, ct).ConfigureAwait(false);
            }
        }
    }
}
