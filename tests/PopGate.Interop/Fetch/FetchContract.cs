using System.Text;
using PopGate.Testing;

namespace PopGate.Interop.Fetch;

/// <summary>
/// What `popgate fetch` must do against any POP3 server, run as a real process against a real peer: every corpus
/// message delivered byte for byte (after the documented CRLF to LF) into a Maildir and an mbox, deletion only of
/// what was delivered, --keep taking only new mail across runs, --dry-run changing nothing.
/// </summary>
public abstract class FetchContract
{
    private static readonly byte[][] Corpus = TestCorpus.NonEmptyMessageFiles().Select(File.ReadAllBytes).ToArray();

    protected abstract IFetchPeer Peer { get; }

    [Fact]
    public async Task Every_corpus_message_reaches_the_maildir_as_lf_and_the_server_is_emptied()
    {
        using var dir = new TempDir("fetch");
        var mailbox = await Peer.MailboxAsync(Corpus);
        var maildir = Path.Combine(dir.Path, "Maildir");

        var run = await FetchProcess.RunAsync(mailbox, mailbox.Spec, maildir, "--state", Path.Combine(dir.Path, "state.sqlite"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Delivered.AssertSameMessages(Corpus.Select(m => Delivered.Expected(m, crlf: false)), Delivered.Maildir(maildir));
        Assert.Equal(0, mailbox.ServerCount());
        Assert.Contains($"fetched {Corpus.Length}, skipped 0, deleted {Corpus.Length}, failed 0", run.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Crlf_keeps_the_bytes_as_the_server_sent_them()
    {
        using var dir = new TempDir("fetch");
        var mailbox = await Peer.MailboxAsync(Corpus);
        var maildir = Path.Combine(dir.Path, "Maildir");

        var run = await FetchProcess.RunAsync(mailbox, mailbox.Spec, maildir, "--crlf", "--state", Path.Combine(dir.Path, "state.sqlite"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Delivered.AssertSameMessages(Corpus.Select(m => Delivered.Expected(m, crlf: true)), Delivered.Maildir(maildir));
        Assert.Equal(0, mailbox.ServerCount());
    }

    [Fact]
    public async Task Every_corpus_message_reaches_the_mbox_quoted_mboxrd()
    {
        using var dir = new TempDir("fetch");
        var mailbox = await Peer.MailboxAsync(Corpus);
        var mbox = Path.Combine(dir.Path, "inbox.mbox");

        var run = await FetchProcess.RunAsync(mailbox, mailbox.Spec, "--mbox", mbox, "--state", Path.Combine(dir.Path, "state.sqlite"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Delivered.AssertSameMessages(Corpus.Select(m => Delivered.Expected(m, crlf: false)), Delivered.Mbox(mbox));
        Assert.Equal(0, mailbox.ServerCount());
        Assert.False(File.Exists(mbox + ".lock"), "the dot-lock was left behind");
    }

    [Fact]
    public async Task Keep_leaves_mail_on_the_server_and_later_runs_take_only_new_messages()
    {
        using var dir = new TempDir("fetch");
        var first = Corpus.Take(40).ToArray();
        var later = Generated(3, "later");
        var mailbox = await Peer.MailboxAsync(first);
        var maildir = Path.Combine(dir.Path, "Maildir");
        var state = Path.Combine(dir.Path, "state.sqlite");

        var run1 = await FetchProcess.RunAsync(mailbox, mailbox.Spec, maildir, "--keep", "--state", state);
        Assert.True(run1.ExitCode == 0, run1.ToString());
        Assert.Equal(first.Length, mailbox.ServerCount());
        Assert.Equal(first.Length, Delivered.Maildir(maildir).Count);

        await mailbox.AddAsync(later);
        var run2 = await FetchProcess.RunAsync(mailbox, mailbox.Spec, maildir, "--keep", "--state", state);
        Assert.True(run2.ExitCode == 0, run2.ToString());
        Assert.Contains($"fetched {later.Length}, skipped {first.Length}, deleted 0", run2.StdOut, StringComparison.Ordinal);

        var run3 = await FetchProcess.RunAsync(mailbox, mailbox.Spec, maildir, "--keep", "--state", state);
        Assert.True(run3.ExitCode == 0, run3.ToString());
        Assert.Contains($"fetched 0, skipped {first.Length + later.Length}", run3.StdOut, StringComparison.Ordinal);

        Delivered.AssertSameMessages(first.Concat(later).Select(m => Delivered.Expected(m, crlf: false)), Delivered.Maildir(maildir));
        Assert.Equal(first.Length + later.Length, mailbox.ServerCount());
    }

    [Fact]
    public async Task Dry_run_changes_nothing()
    {
        using var dir = new TempDir("fetch");
        var messages = Corpus.Take(25).ToArray();
        var mailbox = await Peer.MailboxAsync(messages);
        var maildir = Path.Combine(dir.Path, "Maildir");
        var state = Path.Combine(dir.Path, "state.sqlite");

        var run = await FetchProcess.RunAsync(mailbox, mailbox.Spec, maildir, "--dry-run", "--state", state);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(messages.Length, mailbox.ServerCount());
        Assert.False(Directory.Exists(maildir), "a dry run created the Maildir");
        Assert.False(File.Exists(state), "a dry run created the state store");
        Assert.Equal(messages.Length, run.StdOut.Split('\n').Count(l => l.Contains("would fetch and delete", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_failing_mda_keeps_its_message_on_the_server_and_the_run_goes_on()
    {
        using var dir = new TempDir("fetch");
        var messages = Generated(6, "mda");
        messages[2] = Encoding.ASCII.GetBytes("Subject: refuse me\r\nX-Test: REFUSE-THIS\r\n\r\nno thanks\r\n");
        var mailbox = await Peer.MailboxAsync(messages);
        var outDir = dir.Sub("out");
        var mda = $"tmp=$(mktemp -p '{outDir}'); cat > \"$tmp\"; if grep -q REFUSE-THIS \"$tmp\"; then rm \"$tmp\"; echo 'refused by test' >&2; exit 7; fi";

        var run = await FetchProcess.RunAsync(mailbox, mailbox.Spec, "--mda", mda, "--state", Path.Combine(dir.Path, "state.sqlite"));

        Assert.True(run.ExitCode == 1, run.ToString());
        var errors = run.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var error = Assert.Single(errors);
        Assert.Contains("exited with status 7: refused by test", error, StringComparison.Ordinal);
        Assert.Equal(1, mailbox.ServerCount());
        var delivered = Directory.GetFiles(outDir).Select(File.ReadAllBytes);
        Delivered.AssertSameMessages(messages.Where((_, i) => i != 2).Select(m => Delivered.Expected(m, crlf: false)), delivered);
    }

    [Fact]
    public async Task Messages_over_max_size_stay_on_the_server_and_make_the_run_fail()
    {
        using var dir = new TempDir("fetch");
        var small = Generated(3, "small");
        var big = Encoding.ASCII.GetBytes("Subject: big\r\n\r\n" + new string('x', 5000) + "\r\n");
        var mailbox = await Peer.MailboxAsync([.. small, big]);
        var maildir = Path.Combine(dir.Path, "Maildir");

        var run = await FetchProcess.RunAsync(mailbox, mailbox.Spec, maildir, "--max-size", "2000", "--state", Path.Combine(dir.Path, "state.sqlite"));

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("size limit", run.StdErr, StringComparison.Ordinal);
        Assert.Equal(1, mailbox.ServerCount());
        Delivered.AssertSameMessages(small.Select(m => Delivered.Expected(m, crlf: false)), Delivered.Maildir(maildir));
    }

    [Fact]
    public async Task A_wrong_password_is_one_line_and_exit_status_5()
    {
        using var dir = new TempDir("fetch");
        var mailbox = await Peer.MailboxAsync(Generated(1, "auth"));
        var wrong = mailbox with { Password = "not-the-password" };

        var run = await FetchProcess.RunAsync(wrong, wrong.Spec, Path.Combine(dir.Path, "Maildir"), "--state", Path.Combine(dir.Path, "state.sqlite"));

        Assert.True(run.ExitCode == 5, run.ToString());
        Assert.StartsWith("popgate fetch: login refused", Assert.Single(run.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.Equal(1, mailbox.ServerCount());
    }

    /// <summary>Small distinct messages, with a dot line and a "From " line to exercise unstuffing and quoting.</summary>
    public static byte[][] Generated(int count, string tag) =>
        Enumerable.Range(0, count)
            .Select(i => Encoding.ASCII.GetBytes($"Subject: {tag} {i}\r\nX-Seq: {tag}-{i}\r\n\r\nbody {i}\r\n.\r\n..two dots\r\nFrom the body\r\n"))
            .ToArray();
}
