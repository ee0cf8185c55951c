using System.Text.Json;
using System.Text.Json.Nodes;

namespace PopGate.Jmap.Server;

/// <summary>
/// Resolves "#name" arguments (RFC 8620 section 3.7) against earlier responses in the same request, with the
/// JSON Pointer of RFC 6901 extended by "*" (apply to each array item, flattening arrays it yields).
/// </summary>
internal static class ResultReferences
{
    public static void Resolve(JsonObject args, IReadOnlyList<(string Name, JsonObject Result, string CallId)> earlier)
    {
        foreach (var key in args.Select(p => p.Key).Where(k => k.StartsWith('#')).ToList())
        {
            var plain = key[1..];
            if (args.ContainsKey(plain))
            {
                throw MethodError.Invalid($"both {plain} and {key} were given");
            }

            if (args[key] is not JsonObject reference
                || reference["resultOf"] is not JsonValue resultOf || resultOf.GetValueKind() != JsonValueKind.String
                || reference["name"] is not JsonValue name || name.GetValueKind() != JsonValueKind.String
                || reference["path"] is not JsonValue path || path.GetValueKind() != JsonValueKind.String)
            {
                throw new MethodError(JmapNames.InvalidResultReference, $"{key} is not a ResultReference");
            }

            var callId = resultOf.GetValue<string>();
            var source = earlier.FirstOrDefault(r => r.CallId == callId);
            if (source.Result is null || source.Name != name.GetValue<string>())
            {
                throw new MethodError(JmapNames.InvalidResultReference, $"no earlier {name.GetValue<string>()} response with id {callId}");
            }

            var value = Evaluate(source.Result, path.GetValue<string>())
                ?? throw new MethodError(JmapNames.InvalidResultReference, $"path {path.GetValue<string>()} does not resolve");
            args.Remove(key);
            args[plain] = value.DeepClone();
        }
    }

    /// <summary>The value at the pointer, or null when it does not resolve.</summary>
    public static JsonNode? Evaluate(JsonNode? node, string pointer)
    {
        if (pointer.Length == 0)
        {
            return node;
        }

        if (pointer[0] != '/')
        {
            return null;
        }

        var tokens = pointer[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
        return Walk(node, tokens, 0);
    }

    private static JsonNode? Walk(JsonNode? node, string[] tokens, int at)
    {
        if (at == tokens.Length)
        {
            return node;
        }

        var token = tokens[at];
        switch (node)
        {
            case JsonObject obj:
                return obj.TryGetPropertyValue(token, out var child) ? Walk(child, tokens, at + 1) : null;
            case JsonArray array when token == "*":
                var flat = new JsonArray();
                foreach (var item in array)
                {
                    var value = Walk(item, tokens, at + 1);
                    if (value is null && item is not null)
                    {
                        return null;
                    }

                    if (value is JsonArray inner)
                    {
                        foreach (var element in inner)
                        {
                            flat.Add(element?.DeepClone());
                        }
                    }
                    else
                    {
                        flat.Add(value?.DeepClone());
                    }
                }

                return flat;
            case JsonArray array:
                return int.TryParse(token, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
                    && index < array.Count
                    && (token == "0" || token[0] != '0')
                    ? Walk(array[index], tokens, at + 1)
                    : null;
            default:
                return null;
        }
    }
}
