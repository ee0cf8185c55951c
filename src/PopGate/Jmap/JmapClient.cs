using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace PopGate.Jmap;

/// <summary>Bounds on one client's exchanges.</summary>
/// <param name="RequestTimeout">For a session fetch or an API call, reading the whole answer included.</param>
/// <param name="MaxResponseBytes">The largest session or API answer read.</param>
/// <param name="MaxRedirects">Redirects followed while looking for the session resource.</param>
public sealed record JmapClientLimits(TimeSpan RequestTimeout, long MaxResponseBytes = 64L << 20, int MaxRedirects = 5);

/// <summary>
/// A small JMAP client over one HttpClient: session discovery, API calls, blob downloads. It maps every
/// failure to a <see cref="JmapException"/> whose <see cref="JmapFailure"/> says whether to retry.
/// </summary>
public sealed class JmapClient
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly StringWithQualityHeaderValue Identity = new("identity");
    private readonly HttpClient _http;
    private readonly HttpClient? _plainDownloads;
    private readonly AuthenticationHeaderValue? _auth;
    private readonly JmapClientLimits _limits;

    /// <param name="plainDownloads">When given, blob downloads go through it asking for no content coding
    /// (Accept-Encoding: identity); it must not decompress on its own. Null: downloads go through
    /// <paramref name="http"/> like everything else.</param>
    public JmapClient(HttpClient http, AuthenticationHeaderValue? auth, JmapClientLimits limits, HttpClient? plainDownloads = null)
    {
        _http = http;
        _plainDownloads = plainDownloads;
        _auth = auth;
        _limits = limits;
    }

    /// <summary>Fetches the session resource, following redirects (a /.well-known/jmap URL usually redirects).</summary>
    public async Task<JmapSession> GetSessionAsync(Uri url, CancellationToken cancellationToken)
    {
        using var timeout = Timeout(cancellationToken);
        var current = url;
        try
        {
            for (var hop = 0; ; hop++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, current);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                // Credentials go along a redirect only to the same origin or over https, never down to plain http.
                if (_auth is not null && (hop == 0 || SameOrigin(url, current) || current.Scheme == Uri.UriSchemeHttps))
                {
                    request.Headers.Authorization = _auth;
                }

                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                if (IsRedirect(response.StatusCode))
                {
                    if (hop >= _limits.MaxRedirects || response.Headers.Location is null)
                    {
                        throw new JmapException(JmapFailure.Permanent, "too many redirects, or a redirect without a Location, looking for the JMAP session");
                    }

                    var next = new Uri(current, response.Headers.Location);
                    if (current.Scheme == Uri.UriSchemeHttps && next.Scheme != Uri.UriSchemeHttps)
                    {
                        throw new JmapException(JmapFailure.Permanent, "the JMAP session redirects from https to plain http");
                    }

                    current = next;
                    continue;
                }

                await ThrowIfFailedAsync(response, "the JMAP session", timeout.Token).ConfigureAwait(false);
                using var document = await ReadJsonAsync(response.Content, timeout.Token).ConfigureAwait(false);
                return JmapSessionReader.Read(document.RootElement, current);
            }
        }
        catch (Exception e) when (Translate(e, cancellationToken, "fetching the JMAP session") is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>POSTs a request to the API URL and parses the response.</summary>
    public async Task<JmapResponse> CallAsync(JmapSession session, JmapRequest request, CancellationToken cancellationToken)
    {
        var body = request.ToUtf8();
        if (body.Length > session.MaxSizeRequest)
        {
            throw new JmapException(JmapFailure.Permanent, $"a JMAP request of {body.Length} octets exceeds the server's maxSizeRequest", JmapNames.Limit);
        }

        if (request.Count > session.MaxCallsInRequest)
        {
            throw new JmapException(JmapFailure.Permanent, "a JMAP request exceeds the server's maxCallsInRequest", JmapNames.Limit);
        }

        using var timeout = Timeout(cancellationToken);
        try
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, session.ApiUrl);
            message.Headers.Authorization = _auth;
            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            message.Content = new ReadOnlyMemoryContent(body);
            message.Content.Headers.ContentType = Json;
            using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            await ThrowIfFailedAsync(response, "the JMAP API", timeout.Token).ConfigureAwait(false);
            var document = await ReadJsonAsync(response.Content, timeout.Token).ConfigureAwait(false);
            return JmapResponse.Parse(document);
        }
        catch (Exception e) when (Translate(e, cancellationToken, "calling the JMAP API") is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>
    /// Starts a blob download and returns once the headers are in; the caller reads (and bounds the time of)
    /// the body and disposes the response.
    /// </summary>
    public async Task<HttpResponseMessage> DownloadAsync(JmapSession session, string blobId, string type, string name, CancellationToken cancellationToken)
    {
        using var timeout = Timeout(cancellationToken);
        HttpResponseMessage? response = null;
        try
        {
            Uri uri;
            try
            {
                uri = session.DownloadUri(blobId, type, name);
            }
            catch (FormatException e)
            {
                throw new JmapException(JmapFailure.Permanent, "the session's downloadUrl is not a usable template", null, e);
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.Authorization = _auth;
            if (_plainDownloads is not null)
            {
                request.Headers.AcceptEncoding.Add(Identity);
            }

            response = await (_plainDownloads ?? _http).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            await ThrowIfFailedAsync(response, "the blob download", timeout.Token).ConfigureAwait(false);
            if (_plainDownloads is not null && response.Content.Headers.ContentEncoding.Any(e => !e.Equals("identity", StringComparison.OrdinalIgnoreCase)))
            {
                // The bytes would reach the POP3 client still encoded.
                throw new JmapException(JmapFailure.Permanent, "the server compressed a blob download though asked not to");
            }

            return response;
        }
        catch (Exception e)
        {
            response?.Dispose();
            if (Translate(e, cancellationToken, "downloading a message") is { } translated)
            {
                throw translated;
            }

            throw;
        }
    }

    private CancellationTokenSource Timeout(CancellationToken cancellationToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        source.CancelAfter(_limits.RequestTimeout);
        return source;
    }

    private static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && a.Port == b.Port && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase);

    private async Task<JsonDocument> ReadJsonAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > _limits.MaxResponseBytes)
        {
            throw new JmapException(JmapFailure.Permanent, "the JMAP server's answer is larger than allowed");
        }

        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var bounded = new BoundedReadStream(stream, _limits.MaxResponseBytes);
            try
            {
                return await JsonDocument.ParseAsync(bounded, default, cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException e)
            {
                throw new JmapException(JmapFailure.Permanent, "the JMAP server's answer is not JSON", null, e);
            }
        }
    }

    private static async Task ThrowIfFailedAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var status = (int)response.StatusCode;
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            throw new JmapException(JmapFailure.Auth, $"{what} refused the credentials (HTTP 401)");
        }

        var (type, detail) = await ProblemAsync(response.Content, cancellationToken).ConfigureAwait(false);
        var failure = status >= 500 || status is 408 or 429 || type == JmapNames.Limit ? JmapFailure.Temporary : JmapFailure.Permanent;
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            type ??= JmapNames.NotFound;
        }

        throw new JmapException(failure, $"{what} answered HTTP {status}{(type is null ? string.Empty : " " + type)}{(detail is null ? string.Empty : ": " + detail)}", type);
    }

    /// <summary>The short JMAP error type and the detail of an RFC 7807 problem details body, when there is one.</summary>
    private static async Task<(string? Type, string? Detail)> ProblemAsync(HttpContent content, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                using var document = await JsonDocument.ParseAsync(new BoundedReadStream(stream, 64 * 1024), default, cancellationToken).ConfigureAwait(false);
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String)
                {
                    var text = type.GetString()!;
                    var detail = document.RootElement.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                    if (detail?.Length > 200)
                    {
                        detail = detail[..200];
                    }

                    return (text.StartsWith(JmapNames.RequestErrorPrefix, StringComparison.Ordinal) ? text[JmapNames.RequestErrorPrefix.Length..] : text, detail);
                }
            }
        }
        catch (Exception e) when (e is JsonException or IOException or JmapException or HttpRequestException)
        {
            // Not a problem details body: the status alone has to do.
        }

        return (null, null);
    }

    /// <summary>Turns transport faults and our own timeouts into a JmapException; the caller's cancellation passes.</summary>
    private static JmapException? Translate(Exception e, CancellationToken cancellationToken, string what) => e switch
    {
        JmapException => null,
        OperationCanceledException when cancellationToken.IsCancellationRequested => null,
        OperationCanceledException => new JmapException(JmapFailure.Temporary, $"timed out {what}", null, e),
        HttpRequestException or IOException => new JmapException(JmapFailure.Temporary, $"network error {what}: {e.Message}", null, e),
        _ => null,
    };
}
