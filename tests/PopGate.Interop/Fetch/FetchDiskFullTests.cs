using System.Text;
using PopGate.Testing;

namespace PopGate.Interop.Fetch;

/// <summary>
/// A Maildir on a file system that fills up mid-download (a tiny tmpfs, mounted by the test; the tests run as root):
/// what did not fit stays on the server, what fit is intact and delivered once, and a later run with room finishes.
/// </summary>
public sealed class FetchDiskFullTests(PopGateFetchPeer peer) : IClassFixture<PopGateFetchPeer>
{
    [Fact]
    public async Task A_full_disk_keeps_the_undelivered_messages_on_the_server_and_a_later_run_takes_them()
    {
        // 40 distinct messages of about 20 kB against 256 kB of space: roughly the first dozen fit.
        var messages = Enumerable.Range(0, 40)
            .Select(i => Encoding.ASCII.GetBytes($"Subject: disk {i}\r\nMessage-ID: <disk{i}@test>\r\n\r\n" + string.Concat(Enumerable.Repeat($"line {i} of a message that fills the disk\r\n", 480))))
            .ToArray();
        var mailbox = await peer.MailboxAsync(messages);
        using var dir = new TempDir("fetch-full");
        var mount = dir.Sub("small");
        await MountAsync("-t", "tmpfs", "-o", "size=256k", "tmpfs", mount);
        try
        {
            var maildir = Path.Combine(mount, "Maildir");
            var state = Path.Combine(dir.Path, "state.sqlite");

            var full = await FetchProcess.RunAsync(mailbox, mailbox.Spec, maildir, "--state", state);

            Assert.True(full.ExitCode != 0, full.ToString());
            Assert.Contains("cannot write into", full.StdOut + full.StdErr, StringComparison.Ordinal);
            var delivered = Delivered.Maildir(maildir);
            Assert.InRange(delivered.Count, 1, messages.Length - 1);
            Assert.Equal(messages.Length - delivered.Count, mailbox.ServerCount());
            var expected = messages.Select(m => Delivered.Expected(m, crlf: false)).ToList();
            Assert.All(delivered, d => Assert.Contains(expected, e => e.AsSpan().SequenceEqual(d)));

            await MountAsync("-o", "remount,size=16m", mount);
            var again = await FetchProcess.RunAsync(mailbox, mailbox.Spec, maildir, "--state", state);

            Assert.True(again.ExitCode == 0, again.ToString());
            Delivered.AssertSameMessages(expected, Delivered.Maildir(maildir));
            Assert.Equal(0, mailbox.ServerCount());
        }
        finally
        {
            await ProcessRunner.RunAsync("umount", ["-l", mount], TimeSpan.FromSeconds(30));
        }
    }

    private static async Task MountAsync(params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync(PeerProgram.Require("mount"), arguments, TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0, "mounting a small tmpfs needs root: " + result);
    }
}
