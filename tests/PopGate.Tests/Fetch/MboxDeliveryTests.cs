using System.Diagnostics;
using System.Text;
using PopGate.Fetch;
using PopGate.Testing;

namespace PopGate.Tests.Fetch;

/// <summary>
/// mbox delivery on real files: mboxrd quoting and separators, the pending record written before the append,
/// settling complete and torn appends, and waiting for the dot-lock and for an fcntl lock held by another process.
/// </summary>
public sealed class MboxDeliveryTests
{
    private static FetchedMessage Message(int n) => new(n, $"uid-{n}", 10, MessageIdentity.Digest("h:110:u", $"uid-{n}"));

    [Fact]
    public async Task Messages_are_appended_quoted_with_from_lines_and_separators_after_a_pending_record()
    {
        using var dir = new TempDir("mbox");
        var path = Path.Combine(dir.Path, "box");
        await File.WriteAllTextAsync(path, "From old Mon Jan  1 00:00:00 2024\nold message without final newline");
        var delivery = new MboxDelivery(path, LineEnds.Lf);
        await delivery.OpenAsync(create: true, CancellationToken.None);
        var pendings = new List<PendingAppend>();

        await delivery.DeliverAsync(Message(1), Bodies.Split(Encoding.ASCII.GetBytes("S: 1\r\n\r\nFrom me\r\n>From you\r\nend")), p =>
        {
            pendings.Add(p);
            return ValueTask.CompletedTask;
        }, CancellationToken.None);

        var text = await File.ReadAllTextAsync(path);
        var pending = Assert.Single(pendings);
        var appended = text[(int)pending.Offset..];
        Assert.Equal(pending.Length, Encoding.ASCII.GetByteCount(appended));
        Assert.Equal(pending.Sha256, System.Security.Cryptography.SHA256.HashData(Encoding.ASCII.GetBytes(appended)));
        Assert.StartsWith("From MAILER-DAEMON ", appended, StringComparison.Ordinal);
        Assert.EndsWith("\nS: 1\n\n>From me\n>>From you\nend\n\n", appended, StringComparison.Ordinal);
        Assert.StartsWith("From old Mon Jan  1 00:00:00 2024\nold message without final newline\n", text, StringComparison.Ordinal);
        Assert.False(File.Exists(path + ".lock"));

        Assert.True(await delivery.SettlePendingAsync(pending, CancellationToken.None));
    }

    [Fact]
    public async Task A_torn_append_is_cut_off_and_reported_undelivered()
    {
        using var dir = new TempDir("mbox");
        var path = Path.Combine(dir.Path, "box");
        var delivery = new MboxDelivery(path, LineEnds.Lf);
        PendingAppend? pending = null;
        await delivery.DeliverAsync(Message(1), Bodies.Split(Encoding.ASCII.GetBytes("S: 1\r\n\r\nfirst\r\n")), _ => ValueTask.CompletedTask, CancellationToken.None);
        await delivery.DeliverAsync(Message(2), Bodies.Split(Encoding.ASCII.GetBytes("S: 2\r\n\r\nsecond, longer\r\n")), p =>
        {
            pending = p;
            return ValueTask.CompletedTask;
        }, CancellationToken.None);

        await using (var file = new FileStream(path, FileMode.Open))
        {
            file.SetLength(pending!.Offset + pending.Length - 5);
        }

        Assert.False(await delivery.SettlePendingAsync(pending, CancellationToken.None));
        Assert.Equal(pending.Offset, new FileInfo(path).Length);

        // Never started: nothing to cut, not delivered.
        Assert.False(await delivery.SettlePendingAsync(pending, CancellationToken.None));
        Assert.Equal(pending.Offset, new FileInfo(path).Length);
    }

    [Fact]
    public async Task Someone_elses_mail_after_the_offset_is_left_alone()
    {
        using var dir = new TempDir("mbox");
        var path = Path.Combine(dir.Path, "box");
        await File.WriteAllTextAsync(path, "From x Mon Jan  1 00:00:00 2024\nA: b\n\nother mail\n\n");
        var before = await File.ReadAllBytesAsync(path);
        var pending = new PendingAppend(0, before.Length, new byte[32]);
        Assert.False(await new MboxDelivery(path, LineEnds.Lf).SettlePendingAsync(pending, CancellationToken.None));
        Assert.Equal(before, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task Delivery_waits_for_a_dot_lock_held_by_a_live_process_and_breaks_one_of_a_dead_process()
    {
        using var dir = new TempDir("mbox");
        var path = Path.Combine(dir.Path, "box");
        var delivery = new MboxDelivery(path, LineEnds.Lf);
        await File.WriteAllTextAsync(path + ".lock", $"{Environment.ProcessId}\n");

        var waiting = delivery.DeliverAsync(Message(1), Bodies.Split("S: 1\r\n\r\nx\r\n"u8.ToArray()), _ => ValueTask.CompletedTask, CancellationToken.None).AsTask();
        await Task.Delay(400);
        Assert.False(waiting.IsCompleted);
        File.Delete(path + ".lock");
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        using var exited = Process.Start(new ProcessStartInfo("/bin/true") { UseShellExecute = false })!;
        await exited.WaitForExitAsync();
        await File.WriteAllTextAsync(path + ".lock", $"{exited.Id}\n");
        await delivery.DeliverAsync(Message(2), Bodies.Split("S: 2\r\n\r\nx\r\n"u8.ToArray()), _ => ValueTask.CompletedTask, CancellationToken.None)
            .AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, (await File.ReadAllTextAsync(path)).Split("From MAILER-DAEMON").Length - 1);
    }

    [Fact]
    public async Task Delivery_waits_for_an_fcntl_lock_held_by_another_process()
    {
        var python = PeerProgram.Require("python3");
        using var dir = new TempDir("mbox");
        var path = Path.Combine(dir.Path, "box");
        await File.WriteAllTextAsync(path, string.Empty);
        const string Script = "import fcntl,sys,time\nf=open(sys.argv[1],'r+')\nfcntl.lockf(f,fcntl.LOCK_EX)\nprint('locked',flush=True)\ntime.sleep(1.5)\n";
        using var holder = Process.Start(new ProcessStartInfo(python, ["-c", Script, path]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        Assert.Equal("locked", await holder.StandardOutput.ReadLineAsync());

        var clock = Stopwatch.StartNew();
        await new MboxDelivery(path, LineEnds.Lf)
            .DeliverAsync(Message(1), Bodies.Split("S: 1\r\n\r\nx\r\n"u8.ToArray()), _ => ValueTask.CompletedTask, CancellationToken.None)
            .AsTask().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(clock.Elapsed > TimeSpan.FromSeconds(0.8), $"delivered after {clock.Elapsed} while the lock was held");
        await holder.WaitForExitAsync();
    }

    [Fact]
    public void From_line_dates_are_in_asctime_form() =>
        Assert.Equal("Tue Mar  5 07:08:09 2024", MboxDelivery.AscTime(new DateTime(2024, 3, 5, 7, 8, 9, DateTimeKind.Utc)));
}
