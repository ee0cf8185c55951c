using System.Text.Json;
using System.Text.Json.Nodes;

namespace PopGate.Jmap.Server;

/// <summary>Typed reads of method arguments; anything of the wrong type is invalidArguments.</summary>
internal static class MethodArgs
{
    public static string? String(JsonObject args, string name, bool required = false)
    {
        var node = args[name];
        if (node is null)
        {
            return required ? throw MethodError.Invalid($"{name} is required") : null;
        }

        return node is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : throw MethodError.Invalid($"{name} must be a string");
    }

    public static long? Integer(JsonObject args, string name, long min = long.MinValue)
    {
        var node = args[name];
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<long>(out var n) && n >= min)
        {
            return n;
        }

        // A whole number written as 10.0 is still a number JSON-wise.
        if (node is JsonValue d && d.GetValueKind() == JsonValueKind.Number && d.TryGetValue<double>(out var x) && x == Math.Floor(x) && x >= min && x < 9e15)
        {
            return (long)x;
        }

        throw MethodError.Invalid($"{name} must be an integer{(min == 0 ? " >= 0" : min == 1 ? " > 0" : string.Empty)}");
    }

    public static bool Boolean(JsonObject args, string name, bool fallback)
    {
        var node = args[name];
        if (node is null)
        {
            return fallback;
        }

        return node.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw MethodError.Invalid($"{name} must be a boolean"),
        };
    }

    /// <summary>A list of strings, or null when absent or null.</summary>
    public static List<string>? Strings(JsonObject args, string name)
    {
        var node = args[name];
        if (node is null)
        {
            return null;
        }

        if (node is not JsonArray array)
        {
            throw MethodError.Invalid($"{name} must be an array of strings");
        }

        var list = new List<string>(array.Count);
        foreach (var item in array)
        {
            list.Add(item is JsonValue v && v.GetValueKind() == JsonValueKind.String
                ? v.GetValue<string>()
                : throw MethodError.Invalid($"{name} must be an array of strings"));
        }

        return list;
    }

    public static JsonObject? Object(JsonObject args, string name)
    {
        var node = args[name];
        return node switch
        {
            null => null,
            JsonObject obj => obj,
            _ => throw MethodError.Invalid($"{name} must be an object"),
        };
    }

    public static JsonArray? Array(JsonObject args, string name)
    {
        var node = args[name];
        return node switch
        {
            null => null,
            JsonArray array => array,
            _ => throw MethodError.Invalid($"{name} must be an array"),
        };
    }

    public static JsonArray ToArray(IEnumerable<string> items) => new(items.Select(i => (JsonNode?)JsonValue.Create(i)).ToArray());
}
