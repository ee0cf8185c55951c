using System.Text.Json;
using System.Text.Json.Nodes;
using PopGate.Protocol;
using PopGate.Stores;

namespace PopGate.Jmap.Server;

/// <summary>Runs one JMAP Request object (RFC 8620 section 3.3): checks its shape, then each call in order.</summary>
internal static class ApiProcessor
{
    public const string SessionState = "1";

    private delegate Task<JsonObject> Method(JsonObject args, MethodContext context, CancellationToken cancellationToken);

    private static readonly Dictionary<string, (string Capability, Method Run)> Methods = new(StringComparer.Ordinal)
    {
        ["Core/echo"] = (JmapNames.Core, static (args, _, _) => Task.FromResult(args)),
        ["Mailbox/get"] = (JmapNames.Mail, MailboxMethods.GetAsync),
        ["Mailbox/query"] = (JmapNames.Mail, MailboxMethods.QueryAsync),
        ["Email/query"] = (JmapNames.Mail, EmailQueryMethod.RunAsync),
        ["Email/get"] = (JmapNames.Mail, EmailGetMethod.RunAsync),
        ["Email/set"] = (JmapNames.Mail, EmailSetMethod.RunAsync),
        ["Email/changes"] = (JmapNames.Mail, EmailChangesMethod.RunAsync),
    };

    // I-JSON (RFC 7493) forbids duplicate member names; refusing them at parse time keeps them from surfacing later.
    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 64, AllowDuplicateProperties = false };

    /// <exception cref="RequestProblem">The body is not JSON, not a Request, or over a limit.</exception>
    public static async Task<JsonObject> ProcessAsync(ReadOnlyMemory<byte> body, JmapAccount account, JmapServerOptions options, CancellationToken cancellationToken)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body.Span, null, ParseOptions);
        }
        catch (JsonException)
        {
            throw new RequestProblem(JmapNames.NotJson, "the request body is not valid JSON (I-JSON)");
        }
        catch (ArgumentException)
        {
            // Duplicate member names: not I-JSON.
            throw new RequestProblem(JmapNames.NotJson, "the request body is not valid I-JSON");
        }

        var (capabilities, calls, createdIds) = Shape(root);
        foreach (var capability in capabilities)
        {
            if (capability is not JmapNames.Core and not JmapNames.Mail)
            {
                throw new RequestProblem(JmapNames.UnknownCapability, $"the server does not support {capability}");
            }
        }

        if (calls.Count > options.MaxCallsInRequest)
        {
            throw new RequestProblem(JmapNames.Limit, $"at most {options.MaxCallsInRequest} method calls per request", 400, "maxCallsInRequest");
        }

        var responses = new List<(string Name, JsonObject Result, string CallId)>();
        var context = new MethodContext(account, options);
        await using (context.ConfigureAwait(false))
        {
            foreach (var (name, args, callId) in calls)
            {
                JsonObject result;
                var resultName = name;
                try
                {
                    if (!Methods.TryGetValue(name, out var method) || !capabilities.Contains(method.Capability))
                    {
                        throw new MethodError(JmapNames.UnknownMethod, $"{name} is not known or its capability is not in use");
                    }

                    ResultReferences.Resolve(args, responses);
                    result = await method.Run(args, context, cancellationToken).ConfigureAwait(false);
                }
                catch (MethodError e)
                {
                    resultName = "error";
                    result = Error(e.Type, e.Description);
                }
                catch (MaildropException e)
                {
                    resultName = "error";
                    result = Error(e.Code is ResponseCodes.InUse or ResponseCodes.SysTemp ? JmapNames.ServerUnavailable : JmapNames.ServerFail, e.Message);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or FormatException or ArgumentException)
                {
                    resultName = "error";
                    result = Error(JmapNames.ServerFail, e.Message);
                }

                responses.Add((resultName, result, callId));
            }
        }

        var output = new JsonArray();
        foreach (var (name, result, callId) in responses)
        {
            output.Add((JsonNode)new JsonArray(name, result, callId));
        }

        var response = new JsonObject { ["methodResponses"] = output, ["sessionState"] = SessionState };
        if (createdIds is not null)
        {
            response["createdIds"] = createdIds;
        }

        return response;
    }

    private static (HashSet<string> Capabilities, List<(string Name, JsonObject Args, string CallId)> Calls, JsonObject? CreatedIds) Shape(JsonNode? root)
    {
        if (root is not JsonObject request
            || request["using"] is not JsonArray usingList
            || request["methodCalls"] is not JsonArray methodCalls)
        {
            throw new RequestProblem(JmapNames.NotRequest, "a request is an object with using and methodCalls arrays");
        }

        var capabilities = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in usingList)
        {
            capabilities.Add(item is JsonValue v && v.GetValueKind() == JsonValueKind.String
                ? v.GetValue<string>()
                : throw new RequestProblem(JmapNames.NotRequest, "using must hold strings"));
        }

        var calls = new List<(string, JsonObject, string)>();
        foreach (var item in methodCalls)
        {
            if (item is not JsonArray { Count: 3 } invocation
                || invocation[0] is not JsonValue name || name.GetValueKind() != JsonValueKind.String
                || invocation[1] is not JsonObject args
                || invocation[2] is not JsonValue id || id.GetValueKind() != JsonValueKind.String)
            {
                throw new RequestProblem(JmapNames.NotRequest, "each method call is [name, arguments object, call id]");
            }

            calls.Add((name.GetValue<string>(), (JsonObject)args.DeepClone(), id.GetValue<string>()));
        }

        JsonObject? createdIds = null;
        if (request["createdIds"] is { } created)
        {
            createdIds = created as JsonObject ?? throw new RequestProblem(JmapNames.NotRequest, "createdIds must be an object");
            createdIds = (JsonObject)createdIds.DeepClone();
        }

        return (capabilities, calls, createdIds);
    }

    private static JsonObject Error(string type, string? description)
    {
        var error = new JsonObject { ["type"] = type };
        if (description is not null)
        {
            error["description"] = description;
        }

        return error;
    }
}
