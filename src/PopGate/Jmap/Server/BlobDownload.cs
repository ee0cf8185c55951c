using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace PopGate.Jmap.Server;

/// <summary>GET {accountId}/{blobId}/{name}?type=...: a message streamed from the maildrop, never held whole.</summary>
internal static class BlobDownload
{
    public static async Task SendAsync(HttpContext context, JmapAccount account, JmapServerOptions options, string rest, CancellationToken ct)
    {
        var parts = rest.Split('/');
        if (parts.Length < 2 || parts[0] != account.AccountId)
        {
            await JmapHttpHandler.ProblemAsync(context, StatusCodes.Status404NotFound, JmapNames.RequestErrorPrefix + JmapNames.NotFound, "no such account or blob").ConfigureAwait(false);
            return;
        }

        var blobId = Uri.UnescapeDataString(parts[1]);
        var name = parts.Length > 2 ? Uri.UnescapeDataString(parts[2]) : "message.eml";
        string type = context.Request.Query["type"].ToString();
        if (!MediaTypeHeaderValue.TryParse(type, out _))
        {
            type = "message/rfc822";
        }

        await account.Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var snapshot = await AccountSnapshot.OpenAsync(account, options, ct).ConfigureAwait(false);
            await using (snapshot.ConfigureAwait(false))
            {
                if (!snapshot.ByBlobId.TryGetValue(blobId, out var email))
                {
                    await JmapHttpHandler.ProblemAsync(context, StatusCodes.Status404NotFound, JmapNames.RequestErrorPrefix + JmapNames.NotFound, "no such blob").ConfigureAwait(false);
                    return;
                }

                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = type;
                context.Response.ContentLength = email.Size;
                context.Response.Headers[HeaderNames.CacheControl] = "private, immutable, max-age=31536000";
                var disposition = new ContentDispositionHeaderValue("attachment");
                disposition.SetHttpFileName(name);
                context.Response.Headers[HeaderNames.ContentDisposition] = disposition.ToString();
                var sink = new CrlfSink(context.Response.BodyWriter, options.RawBlobs);
                await snapshot.Maildrop.WriteMessageAsync(email.Index, sink, null, ct).ConfigureAwait(false);
                await sink.CompleteAsync(ct).ConfigureAwait(false);
            }
        }
        finally
        {
            account.Gate.Release();
        }
    }
}
