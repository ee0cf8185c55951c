using System.Globalization;

namespace PopGate.IO;

/// <summary>
/// The files the server keeps between runs (what upstream folders held, what they answered): written whole into a
/// file of this process's own and moved over the old one, so a reader sees the old file or the new one, never half;
/// their folder is private to the server's user, since the files name users and their mail.
/// </summary>
public static class StateFile
{
    /// <summary>Replaces <paramref name="path"/> with what <paramref name="write"/> puts in a new file.</summary>
    /// <exception cref="IOException">The folder or the file could not be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder or the file may not be written.</exception>
    public static void Replace(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var temp = path + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + ".tmp";
        using (var file = File.Create(temp))
        {
            write(file);
        }

        File.Move(temp, path, overwrite: true);
    }
}
