using System.Net;
using System.Net.Sockets;
using System.Text;
using PopGate.Jmap;

namespace PopGate.Tests.Jmap;

/// <summary>Blob downloads ask for no content coding, and refuse an answer that comes compressed all the same.</summary>
public sealed class JmapDownloadEncodingTests
{
    /// <summary>Answers one HTTP request over a real socket with the given header lines and body; returns the request head.</summary>
    private static async Task<string> AnswerOnceAsync(TcpListener listener, string headers, byte[] body)
    {
        using var client = await listener.AcceptTcpClientAsync();
        var stream = client.GetStream();
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(one) == 1)
        {
            head.Append((char)one[0]);
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\nConnection: close\r\n{headers}\r\n"));
        await stream.WriteAsync(body);
        return head.ToString();
    }

    private static async Task<(string Request, byte[]? Body, JmapException? Error)> DownloadAsync(string answerHeaders, byte[] answerBody)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var session = new JmapSession(new Uri($"http://127.0.0.1:{port}/jmap"), new Uri($"http://127.0.0.1:{port}/jmap/"),
                "/download/{accountId}/{blobId}/{name}", "a", null, "0", 1000, 16, 100, 100);
            using var api = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate });
            using var plain = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None });
            var client = new JmapClient(api, null, new JmapClientLimits(TimeSpan.FromSeconds(10)), plain);
            var served = AnswerOnceAsync(listener, answerHeaders, answerBody);
            try
            {
                using var response = await client.DownloadAsync(session, "B1", "message/rfc822", "m.eml", CancellationToken.None);
                var body = await response.Content.ReadAsByteArrayAsync();
                return (await served, body, null);
            }
            catch (JmapException e)
            {
                return (await served, null, e);
            }
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task Downloads_ask_for_identity_and_get_the_bytes_as_sent()
    {
        var message = Encoding.ASCII.GetBytes("Subject: x\r\n\r\nbody\r\n");
        var (request, body, error) = await DownloadAsync("Content-Type: message/rfc822\r\n", message);
        Assert.Null(error);
        Assert.Equal(message, body);
        var encoding = request.Split("\r\n").Single(l => l.StartsWith("Accept-Encoding:", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("identity", encoding["Accept-Encoding:".Length..].Trim());
    }

    [Fact]
    public async Task A_compressed_download_is_refused_rather_than_passed_on_encoded()
    {
        using var packed = new MemoryStream();
        await using (var gzip = new System.IO.Compression.GZipStream(packed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(Encoding.ASCII.GetBytes("Subject: x\r\n\r\nbody\r\n"));
        }

        var (_, body, error) = await DownloadAsync("Content-Encoding: gzip\r\n", packed.ToArray());
        Assert.Null(body);
        Assert.NotNull(error);
        Assert.Equal(JmapFailure.Permanent, error.Failure);
    }
}
