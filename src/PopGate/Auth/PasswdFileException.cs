namespace PopGate.Auth;

/// <summary>A users file that cannot be used, with where and why.</summary>
public sealed class PasswdFileException : Exception
{
    public PasswdFileException(string path, int lineNumber, string reason)
        : base(Format(path, lineNumber, reason))
    {
        Path = path;
        LineNumber = lineNumber;
        Reason = reason;
    }

    public PasswdFileException(string path, string reason, Exception inner)
        : base(Format(path, 0, reason), inner)
    {
        Path = path;
        Reason = reason;
    }

    public string Path { get; } = string.Empty;

    /// <summary>1-based line of the fault, or 0 when it concerns the whole file.</summary>
    public int LineNumber { get; }

    /// <summary>The reason alone, without path and line.</summary>
    public string Reason { get; } = string.Empty;

    private static string Format(string path, int lineNumber, string reason)
    {
        var where = path.Length == 0 ? "users file" : $"users file {path}";
        return lineNumber > 0 ? $"{where} line {lineNumber}: {reason}" : $"{where}: {reason}";
    }
}
