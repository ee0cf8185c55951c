using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace PopGate.Jmap.Server;

/// <summary>A JMAP server (Kestrel) over an <see cref="Stores.IMailStore"/>: one mailbox per user, read and destroy.</summary>
public sealed class JmapServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private JmapServer(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>"http(s)://address:port/" as bound (port 0 resolved).</summary>
    public Uri BaseUrl { get; }

    /// <summary>Where clients discover the session.</summary>
    public Uri WellKnownUrl => new(BaseUrl, "/.well-known/jmap");

    /// <param name="endpoint">Where to listen; port 0 picks a free one.</param>
    /// <param name="certificate">With a certificate the server speaks https only.</param>
    public static async Task<JmapServer> StartAsync(JmapServerOptions options, IPEndPoint endpoint, X509Certificate2? certificate, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // The handler bounds the body by maxSizeRequest itself, to answer with the JMAP "limit" error.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.MaxRequestHeadersTotalSize = 64 * 1024;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(30);
            kestrel.Listen(endpoint, listen =>
            {
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
        });
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        var app = builder.Build();
        var handler = new JmapHttpHandler(options);
        app.Run(handler.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("the server has no address");
        return new JmapServer(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
