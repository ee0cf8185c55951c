using System.Security.Cryptography;
using System.Text.Json;
using PopGate.Interop.Fetch;
using PopGate.Interop.Jmap;
using PopGate.Stores;
using PopGate.Stores.Jmap;
using PopGate.Testing;

namespace PopGate.Interop.Cli;

/// <summary>
/// `popgate` published as a native program by scripts/publish-native.sh, once for the class: the build the
/// download benchmark measures. Ahead-of-time compilation drops what is only reached by reflection, so the native
/// program is run through the same kinds of work as the JIT build: fetch, serve, jmap-serve.
/// </summary>
public sealed class NativeBuild : IAsyncLifetime
{
    private readonly TempDir _dir = new("native-build");

    public string Program { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "PopGate.slnx")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("PopGate.slnx not found above the test assembly");
        }

        var output = Path.Combine(_dir.Path, "popgate");
        var result = await ProcessRunner.RunAsync(
            PeerProgram.Require("bash"), [Path.Combine(root, "scripts", "publish-native.sh"), output], TimeSpan.FromMinutes(15), workingDirectory: root);
        Assert.True(result.ExitCode == 0, "native publish failed: " + result);
        Program = Path.Combine(output, "popgate");
        Assert.True(File.Exists(Program), result.ToString());
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class NativeBuildTests(NativeBuild build, DovecotFetchPeer dovecot) : IClassFixture<NativeBuild>, IClassFixture<DovecotFetchPeer>
{
    private const string PasswordVariable = "POPGATE_NATIVE_TEST_PASSWORD";
    private static readonly byte[][] Corpus = TestCorpus.NonEmptyMessageFiles().Select(File.ReadAllBytes).ToArray();

    [Fact]
    public async Task Native_fetch_takes_the_corpus_from_dovecot_byte_exact_and_a_later_run_takes_what_came_since()
    {
        using var dir = new TempDir("native-fetch");
        var mailbox = await dovecot.MailboxAsync(Corpus);
        var maildir = Path.Combine(dir.Path, "Maildir");
        var state = Path.Combine(dir.Path, "state.sqlite");

        var first = await FetchAsync(mailbox.Password, mailbox.Spec, maildir, "--state", state);
        Assert.True(first.ExitCode == 0, first.ToString());
        Delivered.AssertSameMessages(Corpus.Select(m => Delivered.Expected(m, crlf: false)), Delivered.Maildir(maildir));
        Assert.Equal(0, mailbox.ServerCount());

        var later = Corpus.Take(3).Select(m => (byte[])[.. "X-Later: yes\r\n"u8, .. m]).ToArray();
        await mailbox.AddAsync(later);
        var second = await FetchAsync(mailbox.Password, mailbox.Spec, maildir, "--state", state);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("fetched 3, skipped 0, deleted 3, failed 0", second.StdOut, StringComparison.Ordinal);
        Assert.Equal(Corpus.Length + 3, Delivered.Maildir(maildir).Count);
        Assert.Equal(0, mailbox.ServerCount());
    }

    [Fact]
    public async Task Native_serve_lists_as_json_and_native_fetch_moves_its_mail_into_an_mbox()
    {
        await using var server = await PopGateServer.StartProgramAsync(build.Program);
        var user = await server.AddMaildirUserAsync(Corpus);
        var spec = $"tcp:{user.Name}@127.0.0.1:{server.Port}";

        var listing = await RunAsync(user.Password, "ls", spec, "--password-env", PasswordVariable, "--json");
        Assert.True(listing.ExitCode == 0, listing.ToString());
        using (var json = JsonDocument.Parse(listing.StdOut))
        {
            Assert.Equal(Corpus.Length, json.RootElement.GetArrayLength());
        }

        using var dir = new TempDir("native-serve");
        var mbox = Path.Combine(dir.Path, "inbox.mbox");
        var run = await FetchAsync(user.Password, spec, "--mbox", mbox, "--state", Path.Combine(dir.Path, "state.sqlite"));
        Assert.True(run.ExitCode == 0, run.ToString());
        Delivered.AssertSameMessages(Corpus.Select(m => Delivered.Expected(m, crlf: false)), Delivered.Mbox(mbox));
        Assert.Equal(0, user.MaildirCount());
    }

    [Fact]
    public async Task Native_jmap_serve_is_read_byte_exact_by_the_jmap_store()
    {
        await using var server = await JmapServeProcess.StartAsync(program: build.Program);
        var messages = Corpus.Take(40).ToArray();
        var (user, password) = await server.AddUserAsync(messages);
        using var store = new JmapStore(new JmapStoreOptions { Url = server.BaseUrl, Auth = JmapAuth.Basic(user, password) });
        await using var maildrop = await store.OpenAsync(new MaildropRequest(user), CancellationToken.None);
        var got = await BytesSink.HashEveryMessageAsync(maildrop);
        Assert.Equal(messages.Select(m => Convert.ToHexStringLower(SHA256.HashData(TestCorpus.ToWire(m)))).Order(), got.Order());
    }

    private Task<ProcessResult> FetchAsync(string password, params string[] arguments) =>
        RunAsync(password, ["fetch", .. arguments, "--password-env", PasswordVariable]);

    private Task<ProcessResult> RunAsync(string password, params string[] arguments) =>
        ProcessRunner.RunAsync(build.Program, arguments, TimeSpan.FromMinutes(2), environment: new Dictionary<string, string> { [PasswordVariable] = password });
}
