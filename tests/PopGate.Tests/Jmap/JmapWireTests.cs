using System.IO.Pipelines;
using System.Text.Json.Nodes;
using PopGate.Jmap;
using PopGate.Jmap.Server;
using PopGate.Testing;

namespace PopGate.Tests.Jmap;

/// <summary>URI templates, JSON pointers with '*', and the CRLF form blobs are sent in.</summary>
public sealed class JmapWireTests
{
    [Fact]
    public void Download_templates_expand_with_percent_encoding()
    {
        var expanded = UriTemplate.Expand(
            "/jmap/download/{accountId}/{blobId}/{name}?accept={type}",
            v => v switch { "accountId" => "user@example.org", "blobId" => "G1a-_~.", "name" => "Grüße 1.eml", "type" => "message/rfc822", _ => null });
        Assert.Equal("/jmap/download/user%40example.org/G1a-_~./Gr%C3%BC%C3%9Fe%201.eml?accept=message%2Frfc822", expanded);
        Assert.Equal("/a//b", UriTemplate.Expand("/a/{missing}/b", _ => null));
        Assert.Throws<FormatException>(() => UriTemplate.Expand("/a/{+path}", _ => "x"));
        Assert.Throws<FormatException>(() => UriTemplate.Expand("/a/{open", _ => "x"));
    }

    [Fact]
    public void Relative_download_urls_resolve_against_the_session_url()
    {
        var session = new JmapSession(new Uri("http://127.0.0.1:8008/jmap"), new Uri("http://127.0.0.1:8008/jmap/"),
            "/jmap/download/{accountId}/{blobId}/{name}?accept={type}", "cassandane", null, "0", 1000, 16, 100, 100);
        Assert.Equal("http://127.0.0.1:8008/jmap/download/cassandane/Gabc/m.eml?accept=message%2Frfc822",
            session.DownloadUri("Gabc", "message/rfc822", "m.eml").AbsoluteUri);
    }

    [Fact]
    public void Pointers_follow_rfc_6901_and_the_jmap_wildcard()
    {
        var result = JsonNode.Parse("""{"list":[{"id":"a","threadIds":["t1","t2"]},{"id":"b","threadIds":["t3"]}],"a/b":{"~":5}}""");
        Assert.Equal("""["a","b"]""", ResultReferences.Evaluate(result, "/list/*/id")!.ToJsonString());
        Assert.Equal("""["t1","t2","t3"]""", ResultReferences.Evaluate(result, "/list/*/threadIds")!.ToJsonString());
        Assert.Equal("5", ResultReferences.Evaluate(result, "/a~1b/~0")!.ToJsonString());
        Assert.Equal("\"b\"", ResultReferences.Evaluate(result, "/list/1/id")!.ToJsonString());
        Assert.Null(ResultReferences.Evaluate(result, "/list/2/id"));
        Assert.Null(ResultReferences.Evaluate(result, "/list/01/id"));
        Assert.Null(ResultReferences.Evaluate(result, "list"));
        Assert.Null(ResultReferences.Evaluate(result, "/list/*/missing"));
    }

    [Fact]
    public async Task Blobs_are_sent_in_wire_form_whatever_the_chunks()
    {
        foreach (var file in TestCorpus.NonEmptyMessageFiles().Take(120))
        {
            var raw = File.ReadAllBytes(file);
            foreach (var size in new[] { 1, 2, 5, 4096 })
            {
                // Unbounded: the test reads only after the whole message was written.
                var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
                var sink = new CrlfSink(pipe.Writer, raw: false);
                for (var at = 0; at < raw.Length; at += size)
                {
                    await sink.WriteAsync(raw.AsMemory(at, Math.Min(size, raw.Length - at)), CancellationToken.None);
                }

                await sink.CompleteAsync(CancellationToken.None);
                await pipe.Writer.CompleteAsync();
                var stream = new MemoryStream();
                await pipe.Reader.CopyToAsync(stream);
                Assert.Equal(TestCorpus.ToWire(raw), stream.ToArray());
            }
        }
    }
}
