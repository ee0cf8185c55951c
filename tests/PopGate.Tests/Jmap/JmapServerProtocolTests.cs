using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PopGate.Testing;

namespace PopGate.Tests.Jmap;

/// <summary>What the JMAP server answers to good and bad requests (RFC 8620 sections 3.6 and 3.7).</summary>
public sealed class JmapServerProtocolTests : IClassFixture<JmapServeFixture>, IDisposable
{
    private const string Using = "\"using\":[\"urn:ietf:params:jmap:core\",\"urn:ietf:params:jmap:mail\"]";
    private readonly JmapServeFixture _fixture;
    private readonly HttpClient _http = new();

    public JmapServerProtocolTests(JmapServeFixture fixture) => _fixture = fixture;

    public void Dispose() => _http.Dispose();

    private Uri Api => new(_fixture.Server.BaseUrl, "/jmap/api/");

    private string NewUser(int messages = 3) =>
        _fixture.NewUser(TestCorpus.NonEmptyMessageFiles().Skip(40).Take(messages).Select(File.ReadAllBytes));

    private async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string user, HttpContent content)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Api) { Content = content };
        request.Headers.Authorization = Basic(user);
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string user, string json) =>
        PostAsync(user, new StringContent(json, Encoding.UTF8, "application/json"));

    private static AuthenticationHeaderValue Basic(string user) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{JmapServeFixture.PasswordOf(user)}")));

    private async Task<JsonArray> CallsAsync(string user, string calls)
    {
        var (status, body) = await PostAsync(user, $"{{{Using},\"methodCalls\":{calls}}}");
        Assert.Equal(HttpStatusCode.OK, status);
        return body!["methodResponses"]!.AsArray();
    }

    [Theory]
    [InlineData("{\"using\": [", "notJSON")]
    [InlineData("\u00ff\u00fe garbage", "notJSON")]
    [InlineData("{\"a\":1,\"a\":2}", "notJSON")]
    [InlineData("[1,2,3]", "notRequest")]
    [InlineData("{\"using\":[],\"methodCalls\":{}}", "notRequest")]
    [InlineData("{\"using\":[],\"methodCalls\":[[\"Core/echo\",{},1]]}", "notRequest")]
    [InlineData("{\"using\":[\"urn:example:nothing\"],\"methodCalls\":[]}", "unknownCapability")]
    public async Task Malformed_requests_get_request_level_errors(string body, string type)
    {
        var (status, problem) = await PostAsync(NewUser(0), body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("urn:ietf:params:jmap:error:" + type, (string?)problem!["type"]);
    }

    [Fact]
    public async Task Deeply_nested_json_is_refused_not_crashed_on()
    {
        var deep = new string('[', 100_000) + new string(']', 100_000);
        var (status, problem) = await PostAsync(NewUser(0), deep);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("urn:ietf:params:jmap:error:notJSON", (string?)problem!["type"]);
    }

    [Fact]
    public async Task Requests_over_maxSizeRequest_are_refused_with_limit_with_or_without_a_length()
    {
        var user = NewUser(0);
        var huge = $"{{{Using},\"methodCalls\":[[\"Core/echo\",{{\"x\":\"{new string('a', 10_000_001)}\"}},\"c\"]]}}";
        var (status, problem) = await PostAsync(user, huge);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("urn:ietf:params:jmap:error:limit", (string?)problem!["type"]);
        Assert.Equal("maxSizeRequest", (string?)problem["limit"]);

        // Chunked: no Content-Length up front, so the body is counted as it comes.
        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(huge)));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, Api) { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Authorization = Basic(user);
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("maxSizeRequest", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_many_calls_are_refused_with_limit()
    {
        var calls = string.Join(",", Enumerable.Range(0, 40).Select(i => $"[\"Core/echo\",{{}},\"c{i}\"]"));
        var (status, problem) = await PostAsync(NewUser(0), $"{{{Using},\"methodCalls\":[{calls}]}}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("maxCallsInRequest", (string?)problem!["limit"]);
    }

    [Fact]
    public async Task Method_errors_are_answered_per_call_and_the_other_calls_still_run()
    {
        var user = NewUser();
        var responses = await CallsAsync(user, $$$"""
            [["Foo/bar",{},"a"],
             ["Email/get",{"accountId":"{{{user}}}","ids":"not-a-list"},"b"],
             ["Email/get",{"accountId":"nobody","ids":[]},"c"],
             ["Email/get",{"accountId":"{{{user}}}","#ids":{"resultOf":"zz","name":"Email/query","path":"/ids"}},"d"],
             ["Email/query",{"accountId":"{{{user}}}","filter":{"hasKeyword":"$seen"}},"e"],
             ["Email/query",{"accountId":"{{{user}}}","sort":[{"property":"nonsense"}]},"f"],
             ["Core/echo",{"hello":[1,2]},"g"]]
            """);
        string[] expected = ["unknownMethod", "invalidArguments", "accountNotFound", "invalidResultReference", "unsupportedFilter", "unsupportedSort"];
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal("error", (string?)responses[i]![0]);
            Assert.Equal(expected[i], (string?)responses[i]![1]!["type"]);
        }

        Assert.Equal("Core/echo", (string?)responses[6]![0]);
        Assert.Equal(2, (int)responses[6]![1]!["hello"]![1]!);
    }

    [Fact]
    public async Task A_method_whose_capability_is_not_in_using_is_unknownMethod()
    {
        var user = NewUser(0);
        var (_, body) = await PostAsync(user, $"{{\"using\":[\"urn:ietf:params:jmap:core\"],\"methodCalls\":[[\"Mailbox/get\",{{\"accountId\":\"{user}\"}},\"a\"]]}}");
        Assert.Equal("unknownMethod", (string?)body!["methodResponses"]![0]![1]!["type"]);
    }

    [Fact]
    public async Task Back_references_with_wildcards_chain_query_get_and_set()
    {
        var user = NewUser(4);
        var responses = await CallsAsync(user, $$$"""
            [["Email/query",{"accountId":"{{{user}}}","sort":[{"property":"receivedAt"}]},"q"],
             ["Email/get",{"accountId":"{{{user}}}","#ids":{"resultOf":"q","name":"Email/query","path":"/ids"},"properties":["blobId","size"]},"g"],
             ["Email/set",{"accountId":"{{{user}}}","#destroy":{"resultOf":"g","name":"Email/get","path":"/list/*/id"}},"s"]]
            """);
        Assert.Equal(4, responses[0]![1]!["ids"]!.AsArray().Count);
        Assert.Equal(4, responses[1]![1]!["list"]!.AsArray().Count);
        Assert.Equal(4, responses[2]![1]!["destroyed"]!.AsArray().Count);
        Assert.Empty(_fixture.FilesOf(user));
    }

    [Fact]
    public async Task Destroy_with_a_stale_ifInState_is_stateMismatch_and_removes_nothing()
    {
        var user = NewUser(3);
        var first = await CallsAsync(user, $$$"""[["Email/query",{"accountId":"{{{user}}}"},"q"]]""");
        var state = (string)first[0]![1]!["queryState"]!;
        var id = (string)first[0]![1]!["ids"]![0]!;
        _fixture.AddMessages(user, [Encoding.ASCII.GetBytes("Subject: new\r\n\r\nnew mail\r\n")]);
        var set = await CallsAsync(user, $$$"""[["Email/set",{"accountId":"{{{user}}}","ifInState":"{{{state}}}","destroy":["{{{id}}}"]},"s"]]""");
        Assert.Equal("stateMismatch", (string?)set[0]![1]!["type"]);
        Assert.Equal(4, _fixture.FilesOf(user).Length);

        var changes = await CallsAsync(user, $$$"""[["Email/changes",{"accountId":"{{{user}}}","sinceState":"{{{state}}}"},"c"]]""");
        Assert.Single(changes[0]![1]!["created"]!.AsArray());
        Assert.Empty(changes[0]![1]!["destroyed"]!.AsArray());
        var unknown = await CallsAsync(user, $$$"""[["Email/changes",{"accountId":"{{{user}}}","sinceState":"s-never-seen"},"c"]]""");
        Assert.Equal("cannotCalculateChanges", (string?)unknown[0]![1]!["type"]);
    }

    [Fact]
    public async Task Email_changes_never_returns_more_ids_than_maxChanges()
    {
        var user = NewUser(2);
        async Task<string> StateAsync() =>
            (string)(await CallsAsync(user, $$$"""[["Email/get",{"accountId":"{{{user}}}","ids":[]},"g"]]"""))[0]![1]!["state"]!;
        async Task<JsonNode> ChangesAsync(string since, int max) =>
            (await CallsAsync(user, $$$"""[["Email/changes",{"accountId":"{{{user}}}","sinceState":"{{{since}}}","maxChanges":{{{max}}}},"c"]]"""))[0]![1]!;

        var s0 = await StateAsync();
        _fixture.AddMessages(user, [Encoding.ASCII.GetBytes("Subject: a\r\n\r\na\r\n"), Encoding.ASCII.GetBytes("Subject: b\r\n\r\nb\r\n")]);
        var s1 = await StateAsync();
        _fixture.AddMessages(user, [Encoding.ASCII.GetBytes("Subject: c\r\n\r\nc\r\n")]);

        // The first step alone holds two ids: no intermediate state can be given within one.
        Assert.Equal("cannotCalculateChanges", (string?)(await ChangesAsync(s0, 1))["type"]);
        var first = await ChangesAsync(s0, 2);
        Assert.Equal(2, first["created"]!.AsArray().Count);
        Assert.True((bool)first["hasMoreChanges"]!);
        Assert.Equal(s1, (string?)first["newState"]);
        var rest = await ChangesAsync(s1, 2);
        Assert.Single(rest["created"]!.AsArray());
        Assert.False((bool)rest["hasMoreChanges"]!);
        Assert.Equal(await StateAsync(), (string?)rest["newState"]);
    }

    [Fact]
    public async Task Header_properties_are_decoded()
    {
        var message = Encoding.UTF8.GetBytes(
            "From: =?UTF-8?Q?J=C3=B6rg?= <joerg@example.org>\r\nTo: a@example.org, \"B, C\" <bc@example.org>\r\n" +
            "Subject: =?ISO-8859-1?B?SGFsbG8g5A==?=\r\n =?UTF-8?Q?_und_mehr?=\r\nMessage-ID: <abc@example.org>\r\n" +
            "Date: Tue, 1 Jul 2003 10:52:37 +0200\r\n\r\nbody\r\n");
        var user = _fixture.NewUser([message]);
        var responses = await CallsAsync(user, $$$"""
            [["Email/query",{"accountId":"{{{user}}}"},"q"],
             ["Email/get",{"accountId":"{{{user}}}","#ids":{"resultOf":"q","name":"Email/query","path":"/ids"},"properties":["subject","from","to","messageId","sentAt","receivedAt","size"]},"g"]]
            """);
        var email = responses[1]![1]!["list"]![0]!;
        Assert.Equal("Hallo ä und mehr", (string?)email["subject"]);
        Assert.Equal("Jörg", (string?)email["from"]![0]!["name"]);
        Assert.Equal("joerg@example.org", (string?)email["from"]![0]!["email"]);
        Assert.Equal("B, C", (string?)email["to"]![1]!["name"]);
        Assert.Equal("abc@example.org", (string?)email["messageId"]![0]);
        Assert.Equal("2003-07-01T08:52:37Z", (string?)email["receivedAt"]);
        Assert.Equal(message.Length, (long)email["size"]!);
    }

    [Fact]
    public async Task Unknown_blobs_accounts_and_paths_are_404_and_no_credentials_is_401()
    {
        var user = NewUser(1);
        foreach (var path in new[] { $"/jmap/download/{user}/Bnope/x.eml", "/jmap/download/someoneelse/Bnope/x.eml", "/nothing-here" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_fixture.Server.BaseUrl, path));
            request.Headers.Authorization = Basic(user);
            using var response = await _http.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        using var anonymous = await _http.GetAsync(new Uri(_fixture.Server.BaseUrl, "/jmap/session"));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("Basic", anonymous.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Random_bodies_never_crash_the_server()
    {
        var user = NewUser(1);
        var random = new Random(20261122);
        string[] pieces = ["{", "}", "[", "]", "\"using\"", "\"methodCalls\"", ":", ",", "\"Email/get\"", "\"#ids\"", "null", "1e999", "\"\\u0000\"", "\"accountId\"", $"\"{user}\"", "-0", "true"];
        for (var i = 0; i < 300; i++)
        {
            var body = string.Concat(Enumerable.Range(0, random.Next(1, 40)).Select(_ => pieces[random.Next(pieces.Length)]));
            var (status, _) = await PostAsync(user, body);
            Assert.True(status is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{status} for {body}");
        }

        var echo = await CallsAsync(user, """[["Core/echo",{"still":"alive"},"a"]]""");
        Assert.Equal("alive", (string?)echo[0]![1]!["still"]);
    }
}
