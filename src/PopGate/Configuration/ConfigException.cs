namespace PopGate.Configuration;

/// <summary>A configuration value that cannot be used: names the key, and the file and line when it came from one.</summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string key, string problem, string? file = null, int? line = null)
        : base(Format(key, problem, file, line))
    {
        Key = key;
        Problem = problem;
        File = file;
        Line = line;
    }

    public ConfigException()
        : this("(unknown)", "invalid configuration")
    {
    }

    public ConfigException(string message)
        : this("(unknown)", message)
    {
    }

    public ConfigException(string message, Exception inner)
        : base(message, inner)
    {
        Key = "(unknown)";
        Problem = message;
    }

    public string Key { get; }
    public string Problem { get; }
    public string? File { get; }
    public int? Line { get; }

    private static string Format(string key, string problem, string? file, int? line)
    {
        var where = file is null ? string.Empty : line is null ? $"{file}: " : $"{file}:{line}: ";
        return $"{where}{key}: {problem}";
    }
}
