using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using PopGate.Stores;

namespace PopGate.Jmap.Server;

/// <summary>The HTTP side of the JMAP server: discovery redirect, session resource, API, blob download.</summary>
internal sealed class JmapHttpHandler
{
    // JSON goes to JSON clients only: no need to escape '+', '<' or non-ASCII letters as for HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly JmapServerOptions _options;
    private readonly ConcurrentDictionary<string, JmapAccount> _accounts = new(StringComparer.Ordinal);

    public JmapHttpHandler(JmapServerOptions options) => _options = options;

    public async Task HandleAsync(HttpContext context)
    {
        var ct = context.RequestAborted;
        try
        {
            var path = context.Request.Path.Value ?? "/";
            if (path == "/.well-known/jmap" && HttpMethods.IsGet(context.Request.Method))
            {
                context.Response.StatusCode = StatusCodes.Status301MovedPermanently;
                context.Response.Headers.Location = Origin(context) + SessionResource.SessionPath;
                return;
            }

            var known = path == SessionResource.SessionPath || path == SessionResource.ApiPath || path == SessionResource.ApiPath.TrimEnd('/')
                || path.StartsWith(SessionResource.DownloadPrefix, StringComparison.Ordinal)
                || path.StartsWith(SessionResource.UploadPrefix, StringComparison.Ordinal);
            if (!known)
            {
                await ProblemAsync(context, StatusCodes.Status404NotFound, "about:blank", "no such resource").ConfigureAwait(false);
                return;
            }

            var account = Authenticate(context);
            if (account is null)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"JMAP\", charset=\"UTF-8\"";
                return;
            }

            if (path == SessionResource.SessionPath && HttpMethods.IsGet(context.Request.Method))
            {
                var origin = _options.RelativeUrls ? string.Empty : Origin(context);
                await JsonAsync(context, SessionResource.Build(account, _options, origin)).ConfigureAwait(false);
            }
            else if (path.StartsWith(SessionResource.ApiPath.TrimEnd('/'), StringComparison.Ordinal) && HttpMethods.IsPost(context.Request.Method))
            {
                await ApiAsync(context, account, ct).ConfigureAwait(false);
            }
            else if (path.StartsWith(SessionResource.DownloadPrefix, StringComparison.Ordinal) && HttpMethods.IsGet(context.Request.Method))
            {
                await BlobDownload.SendAsync(context, account, _options, path[SessionResource.DownloadPrefix.Length..], ct).ConfigureAwait(false);
            }
            else if (path.StartsWith(SessionResource.UploadPrefix, StringComparison.Ordinal))
            {
                await ProblemAsync(context, StatusCodes.Status403Forbidden, "about:blank", "this server takes no uploads").ConfigureAwait(false);
            }
            else
            {
                await ProblemAsync(context, StatusCodes.Status405MethodNotAllowed, "about:blank", "method not allowed here").ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception e)
        {
            // Whatever went wrong, this request gets an answer and the server goes on.
            if (!context.Response.HasStarted)
            {
                var unavailable = e is MaildropException m && m.Code is Protocol.ResponseCodes.InUse or Protocol.ResponseCodes.SysTemp;
                await ProblemAsync(
                    context,
                    unavailable ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError,
                    JmapNames.RequestErrorPrefix + (unavailable ? JmapNames.ServerUnavailable : JmapNames.ServerFail),
                    e.Message).ConfigureAwait(false);
            }
            else
            {
                context.Abort();
            }
        }
    }

    private JmapAccount? Authenticate(HttpContext context)
    {
        if (!Credentials.TryRead(context.Request.Headers.Authorization, out var user, out var password) || !_options.Authenticate(user, password))
        {
            return null;
        }

        return _accounts.GetOrAdd(user, static u => new JmapAccount(u));
    }

    private async Task ApiAsync(HttpContext context, JmapAccount account, CancellationToken ct)
    {
        JsonObject response;
        try
        {
            var body = await ReadBodyAsync(context.Request, _options.MaxSizeRequest, ct).ConfigureAwait(false);
            await account.Gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                response = await ApiProcessor.ProcessAsync(body, account, _options, ct).ConfigureAwait(false);
            }
            finally
            {
                account.Gate.Release();
            }
        }
        catch (RequestProblem problem)
        {
            var extra = problem.Limit is null ? null : new JsonObject { ["limit"] = problem.Limit };
            await ProblemAsync(context, problem.Status, JmapNames.RequestErrorPrefix + problem.Type, problem.Message, extra).ConfigureAwait(false);
            return;
        }

        await JsonAsync(context, response).ConfigureAwait(false);
    }

    /// <summary>The request body, refused as "limit" past maxSizeRequest without reading the rest.</summary>
    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request, long limit, CancellationToken ct)
    {
        if (request.ContentLength > limit)
        {
            throw new RequestProblem(JmapNames.Limit, $"the request is larger than maxSizeRequest ({limit} octets)", 400, "maxSizeRequest");
        }

        var buffer = new ArrayBufferWriter<byte>((int)Math.Min(request.ContentLength ?? 4096, limit) + 1);
        while (true)
        {
            var memory = buffer.GetMemory(16 * 1024);
            var read = await request.Body.ReadAsync(memory, ct).ConfigureAwait(false);
            if (read == 0)
            {
                return buffer.WrittenMemory;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > limit)
            {
                throw new RequestProblem(JmapNames.Limit, $"the request is larger than maxSizeRequest ({limit} octets)", 400, "maxSizeRequest");
            }
        }
    }

    private static string Origin(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}";

    public static async Task JsonAsync(HttpContext context, JsonNode body, int status = StatusCodes.Status200OK, string contentType = "application/json; charset=utf-8")
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.Headers[HeaderNames.CacheControl] = "no-cache, no-store";
        var writer = new Utf8JsonWriter(context.Response.BodyWriter, WriterOptions);
        await using (writer.ConfigureAwait(false))
        {
            body.WriteTo(writer);
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>An RFC 7807 problem details answer.</summary>
    public static Task ProblemAsync(HttpContext context, int status, string type, string detail, JsonObject? extra = null)
    {
        var problem = new JsonObject { ["type"] = type, ["status"] = status, ["detail"] = detail };
        foreach (var (key, value) in extra ?? [])
        {
            problem[key] = value?.DeepClone();
        }

        return JsonAsync(context, problem, status, "application/problem+json");
    }
}
