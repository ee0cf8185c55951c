using System.Text.Json;

namespace PopGate.Jmap;

/// <summary>A parsed JMAP Response object; method results are looked up by call id.</summary>
public sealed class JmapResponse : IDisposable
{
    private readonly JsonDocument _document;
    private readonly Dictionary<string, (string Name, JsonElement Arguments)> _byCallId = new(StringComparer.Ordinal);

    private JmapResponse(JsonDocument document)
    {
        _document = document;
    }

    public string? SessionState { get; private set; }

    /// <exception cref="JmapException">The body is not a JMAP Response.</exception>
    public static JmapResponse Parse(JsonDocument document)
    {
        var response = new JmapResponse(document);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("methodResponses", out var list)
            || list.ValueKind != JsonValueKind.Array)
        {
            document.Dispose();
            throw new JmapException(JmapFailure.Permanent, "the server's reply is not a JMAP response");
        }

        foreach (var invocation in list.EnumerateArray())
        {
            if (invocation.ValueKind == JsonValueKind.Array && invocation.GetArrayLength() == 3
                && invocation[0].ValueKind == JsonValueKind.String
                && invocation[1].ValueKind == JsonValueKind.Object
                && invocation[2].ValueKind == JsonValueKind.String)
            {
                // One call can yield several responses (implicit calls); the first one is the call's own.
                response._byCallId.TryAdd(invocation[2].GetString()!, (invocation[0].GetString()!, invocation[1]));
            }
        }

        if (root.TryGetProperty("sessionState", out var state) && state.ValueKind == JsonValueKind.String)
        {
            response.SessionState = state.GetString();
        }

        return response;
    }

    /// <summary>The arguments of the response to a call.</summary>
    /// <exception cref="JmapException">The call failed (its error type is kept) or has no response.</exception>
    public JsonElement Get(string callId, string method)
    {
        if (!_byCallId.TryGetValue(callId, out var found))
        {
            throw new JmapException(JmapFailure.Permanent, $"the server did not answer the {method} call");
        }

        if (found.Name == "error")
        {
            var type = found.Arguments.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            var failure = type is JmapNames.ServerUnavailable or JmapNames.ServerFail or JmapNames.StateMismatch
                ? JmapFailure.Temporary
                : JmapFailure.Permanent;
            throw new JmapException(failure, $"{method} failed: {type ?? "error"}", type);
        }

        if (found.Name != method)
        {
            throw new JmapException(JmapFailure.Permanent, $"the server answered {method} with {found.Name}");
        }

        return found.Arguments;
    }

    public void Dispose() => _document.Dispose();
}
