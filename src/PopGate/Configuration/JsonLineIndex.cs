using System.Text.Json;

namespace PopGate.Configuration;

/// <summary>
/// Where each key of a JSON configuration file is written, as configuration paths ("Limits:MaxErrors",
/// "Listen:0") mapped to 1-based line numbers, so that an error can point at the line to fix.
/// </summary>
public sealed class JsonLineIndex
{
    private readonly Dictionary<string, int> _lines = new(StringComparer.OrdinalIgnoreCase);

    private JsonLineIndex(string file) => File = file;

    public string File { get; }

    /// <summary>Indexes a file; a syntax error becomes a <see cref="ConfigException"/> with its line.</summary>
    public static JsonLineIndex Load(string file)
    {
        var bytes = System.IO.File.ReadAllBytes(file);
        var index = new JsonLineIndex(file);
        var lineStarts = LineStarts(bytes);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var path = new List<string>();
        var arrayCounters = new Stack<int>();
        var containers = new Stack<JsonTokenType>();
        string? pendingProperty = null;
        try
        {
            while (reader.Read())
            {
                var line = LineOf(lineStarts, reader.TokenStartIndex);
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        pendingProperty = reader.GetString()!;
                        index._lines.TryAdd(Join(path, pendingProperty), line);
                        break;
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        Enter(path, arrayCounters, containers, ref pendingProperty, index, line);
                        containers.Push(reader.TokenType);
                        if (reader.TokenType == JsonTokenType.StartArray)
                        {
                            arrayCounters.Push(0);
                        }

                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        if (containers.Pop() == JsonTokenType.StartArray)
                        {
                            arrayCounters.Pop();
                        }

                        if (path.Count > 0)
                        {
                            path.RemoveAt(path.Count - 1);
                        }

                        break;
                    default:
                        if (containers.Count > 0 && containers.Peek() == JsonTokenType.StartArray)
                        {
                            var i = arrayCounters.Pop();
                            arrayCounters.Push(i + 1);
                            index._lines.TryAdd(Join(path, i.ToString(System.Globalization.CultureInfo.InvariantCulture)), line);
                        }

                        pendingProperty = null;
                        break;
                }
            }
        }
        catch (JsonException e)
        {
            throw new ConfigException("(syntax)", e.Message.Split(" Path:", 2)[0], file, (int)(e.LineNumber ?? 0) + 1);
        }

        return index;
    }

    private static void Enter(List<string> path, Stack<int> arrayCounters, Stack<JsonTokenType> containers, ref string? pendingProperty, JsonLineIndex index, int line)
    {
        if (containers.Count == 0)
        {
            // The root is not part of any path; a placeholder keeps the pops at its end balanced.
            path.Add("\0root");
            return;
        }

        if (containers.Peek() == JsonTokenType.StartArray)
        {
            var i = arrayCounters.Pop();
            arrayCounters.Push(i + 1);
            var key = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            index._lines.TryAdd(Join(path, key), line);
            path.Add(key);
        }
        else
        {
            path.Add(pendingProperty ?? string.Empty);
        }

        pendingProperty = null;
    }

    private static string Join(List<string> path, string last) =>
        string.Join(':', path.Where(p => p != "\0root").Append(last));

    /// <summary>The line of a key, or of its nearest written parent; null when nothing of it is in the file.</summary>
    public int? LineOf(string key)
    {
        var current = key;
        while (current.Length > 0)
        {
            if (_lines.TryGetValue(current, out var line))
            {
                return line;
            }

            var colon = current.LastIndexOf(':');
            current = colon < 0 ? string.Empty : current[..colon];
        }

        return null;
    }

    /// <summary>True when the key itself is written in the file.</summary>
    public bool Contains(string key) => _lines.ContainsKey(key);

    private static List<int> LineStarts(ReadOnlySpan<byte> bytes)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                starts.Add(i + 1);
            }
        }

        return starts;
    }

    private static int LineOf(List<int> lineStarts, long offset)
    {
        var i = lineStarts.BinarySearch((int)offset);
        return (i >= 0 ? i : ~i - 1) + 1;
    }
}
