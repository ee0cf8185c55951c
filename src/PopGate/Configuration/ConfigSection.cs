using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace PopGate.Configuration;

/// <summary>
/// Typed, checked access to one configuration section. Every problem becomes a <see cref="ConfigException"/> naming
/// the full key and, when the value came from the JSON file, its line.
/// </summary>
public sealed class ConfigSection
{
    private readonly IConfiguration _configuration;
    private readonly JsonLineIndex? _lines;

    public ConfigSection(IConfiguration configuration, JsonLineIndex? lines, string path = "")
    {
        _configuration = configuration;
        _lines = lines;
        Path = path;
    }

    /// <summary>The section's key path ("" for the root).</summary>
    public string Path { get; }

    public bool Exists => Path.Length == 0 || _configuration.GetSection(Path).Exists();

    public string Key(string name) => Path.Length == 0 ? name : $"{Path}:{name}";

    public ConfigSection Section(string name) => new(_configuration, _lines, Key(name));

    public IEnumerable<ConfigSection> Children() =>
        Raw.GetChildren().Select(c => new ConfigSection(_configuration, _lines, Key(c.Key)));

    public string Name => Path.Contains(':', StringComparison.Ordinal) ? Path[(Path.LastIndexOf(':') + 1)..] : Path;

    private IConfiguration Raw => Path.Length == 0 ? _configuration : _configuration.GetSection(Path);

    public ConfigException Error(string name, string problem)
    {
        var key = name.Length == 0 ? Path : Key(name);
        return new ConfigException(key, problem, _lines?.File, _lines?.LineOf(key));
    }

    /// <summary>Refuses keys this section does not know, which are usually typing mistakes.</summary>
    public void CheckKnown(params string[] known)
    {
        foreach (var child in Raw.GetChildren())
        {
            if (!known.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                throw Error(child.Key, $"unknown key; expected one of: {string.Join(", ", known)}");
            }
        }
    }

    public string? GetString(string name) => Raw[name] is { Length: > 0 } value ? value : null;

    public string GetRequiredString(string name) => GetString(name) ?? throw Error(name, "is required");

    public int GetInt(string name, int fallback, int min = int.MinValue, int max = int.MaxValue)
    {
        var text = GetString(name);
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw Error(name, $"'{text}' is not a whole number from {min} to {max}");
        }

        return value;
    }

    public double GetDouble(string name, double fallback, double min = 0, double max = double.MaxValue)
    {
        var text = GetString(name);
        if (text is null)
        {
            return fallback;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw Error(name, $"'{text}' is not a number from {min} to {max}");
        }

        return value;
    }

    public bool GetBool(string name, bool fallback)
    {
        var text = GetString(name);
        if (text is null)
        {
            return fallback;
        }

        return bool.TryParse(text, out var value) ? value : throw Error(name, $"'{text}' is not true or false");
    }

    public T GetEnum<T>(string name, T fallback)
        where T : struct, Enum
    {
        var text = GetString(name);
        if (text is null)
        {
            return fallback;
        }

        var normalized = text.Replace("-", string.Empty, StringComparison.Ordinal);
        return Enum.TryParse<T>(normalized, ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : throw Error(name, $"'{text}' is not one of: {string.Join(", ", Enum.GetNames<T>())}");
    }

    /// <summary>A list written as a JSON array (or a single string).</summary>
    public IReadOnlyList<string> GetList(string name)
    {
        var section = Raw.GetSection(name);
        if (section.Value is { Length: > 0 } single)
        {
            return [single];
        }

        return section.GetChildren().Select(c => c.Value ?? throw Error($"{name}:{c.Key}", "must be a string")).ToList();
    }

    /// <summary>A path, relative to the configuration file's folder when it is not absolute.</summary>
    public string? GetPath(string name)
    {
        var value = GetString(name);
        if (value is null || System.IO.Path.IsPathRooted(value) || _lines is null)
        {
            return value;
        }

        return System.IO.Path.GetFullPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(_lines.File))!, value));
    }
}
