using System.Diagnostics;
using System.Text;
using PopGate.Fetch;
using PopGate.Testing;

namespace PopGate.Tests.Fetch;

/// <summary>Maildir delivery on real folders: names, digests found again, tmp/ left clean, line ends.</summary>
public sealed class MaildirDeliveryTests
{
    private static readonly Func<PendingAppend, ValueTask> NoJournal = _ => ValueTask.CompletedTask;

    [Fact]
    public async Task A_message_lands_in_new_with_its_digest_in_the_name_and_is_found_by_the_next_run()
    {
        using var dir = new TempDir("maildir");
        var root = Path.Combine(dir.Path, "Mail");
        var message = new FetchedMessage(1, "uid-1", 20, MessageIdentity.Digest("h:110:u", "uid-1"));
        var other = message with { Number = 2, Uid = "uid-2", Digest = MessageIdentity.Digest("h:110:u", "uid-2") };

        var first = new MaildirDelivery(root, LineEnds.Lf);
        await first.OpenAsync(create: true, CancellationToken.None);
        Assert.False(first.Holds(message));
        var written = await first.DeliverAsync(message, Bodies.Split(Encoding.ASCII.GetBytes("A: b\r\n\r\nbody\r\n"), 7), NoJournal, CancellationToken.None);
        Assert.Empty(await first.FlushAsync(CancellationToken.None));

        var file = Assert.Single(Directory.GetFiles(Path.Combine(root, "new")));
        Assert.Equal("A: b\n\nbody\n", await File.ReadAllTextAsync(file));
        Assert.Equal(11, written);
        Assert.Empty(Directory.GetFiles(Path.Combine(root, "tmp")));
        Assert.Equal(message.Digest, MaildirNames.DigestOf(Path.GetFileName(file)));
        Assert.Equal(Environment.ProcessId, MaildirNames.WriterOf(Path.GetFileName(file)));

        // A mail reader moved it to cur/ and flagged it seen: still recognised.
        File.Move(file, Path.Combine(root, "cur", Path.GetFileName(file) + ":2,S"));
        var next = new MaildirDelivery(root, LineEnds.Lf);
        await next.OpenAsync(create: true, CancellationToken.None);
        Assert.True(next.Holds(message));
        Assert.False(next.Holds(other));
        Assert.False(next.Holds(message with { Uid = null, Digest = null }));
    }

    [Fact]
    public async Task Temporaries_of_dead_runs_are_removed_and_others_kept()
    {
        using var dir = new TempDir("maildir");
        var root = Path.Combine(dir.Path, "Mail");
        Directory.CreateDirectory(Path.Combine(root, "tmp"));
        using var exited = Process.Start(new ProcessStartInfo("/bin/true") { UseShellExecute = false })!;
        await exited.WaitForExitAsync();
        var digest = MessageIdentity.Digest("h:110:u", "x");
        var dead = $"1700000000.M1P{exited.Id}Q1-{digest}.host";
        var alive = $"1700000000.M1P{Environment.ProcessId}Q1-{digest}.host";
        const string Foreign = "1700000000.P1Q1.otherprogram";
        foreach (var name in new[] { dead, alive, Foreign })
        {
            await File.WriteAllTextAsync(Path.Combine(root, "tmp", name), "partial");
        }

        await new MaildirDelivery(root, LineEnds.Lf).OpenAsync(create: true, CancellationToken.None);

        var left = Directory.GetFiles(Path.Combine(root, "tmp")).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { alive, Foreign }.Order(StringComparer.Ordinal), left);
    }

    [Fact]
    public async Task A_message_whose_folder_vanished_before_its_sync_is_reported_by_the_flush_and_nothing_is_left()
    {
        using var dir = new TempDir("maildir");
        var root = Path.Combine(dir.Path, "Mail");
        var delivery = new MaildirDelivery(root, LineEnds.Lf);
        await delivery.OpenAsync(create: true, CancellationToken.None);
        var message = new FetchedMessage(1, "u", 10, MessageIdentity.Digest("h:110:u", "u"));
        Directory.Delete(Path.Combine(root, "new"));
        await delivery.DeliverAsync(message, Bodies.Split("A: b\r\n\r\nc\r\n"u8.ToArray()), NoJournal, CancellationToken.None);

        var failure = Assert.Single(await delivery.FlushAsync(CancellationToken.None));
        Assert.Same(message, failure.Message);
        Assert.IsType<DeliveryException>(failure.Error);
        Assert.Empty(Directory.GetFiles(Path.Combine(root, "tmp")));
    }

    [Fact]
    public async Task A_dry_open_creates_nothing()
    {
        using var dir = new TempDir("maildir");
        var root = Path.Combine(dir.Path, "Mail");
        await new MaildirDelivery(root, LineEnds.Lf).OpenAsync(create: false, CancellationToken.None);
        Assert.False(Directory.Exists(root));
    }

    [Fact]
    public async Task Crlf_mode_keeps_the_bytes()
    {
        using var dir = new TempDir("maildir");
        var root = Path.Combine(dir.Path, "Mail");
        var delivery = new MaildirDelivery(root, LineEnds.Crlf);
        await delivery.OpenAsync(create: true, CancellationToken.None);
        var bytes = Encoding.ASCII.GetBytes("A: b\r\n\r\nbody\r\nbare\n");
        await delivery.DeliverAsync(new FetchedMessage(1, null, bytes.Length, null), Bodies.Split(bytes), NoJournal, CancellationToken.None);
        Assert.Empty(await delivery.FlushAsync(CancellationToken.None));
        var file = Assert.Single(Directory.GetFiles(Path.Combine(root, "new")));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(file));
        Assert.Null(MaildirNames.DigestOf(Path.GetFileName(file)));
    }

    [Theory]
    [InlineData("1700000000.M5P12Q3-0123456789abcdef0123456789abcdef.host:2,S", "0123456789abcdef0123456789abcdef")]
    [InlineData("1700000000.M5P12Q3-0123456789abcdef0123456789abcdef.my.host.name", "0123456789abcdef0123456789abcdef")]
    [InlineData("1700000000.M5P12Q3-0123456789ABCDEF0123456789abcdef.host", null)]
    [InlineData("1700000000.M5P12Q3-0123456789abcdef.host", null)]
    [InlineData("1700000000.M5P12Q3.host", null)]
    [InlineData("noname", null)]
    public void Digests_are_read_back_only_from_names_made_for_them(string name, string? digest) =>
        Assert.Equal(digest, MaildirNames.DigestOf(name));
}
