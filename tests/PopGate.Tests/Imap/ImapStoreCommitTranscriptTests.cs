using System.Text;
using PopGate.Imap;
using PopGate.Protocol;
using PopGate.Stores;
using PopGate.Stores.Imap;
using PopGate.Testing;
using static PopGate.Tests.Imap.ScriptedStore;

namespace PopGate.Tests.Imap;

/// <summary>The IMAP store against scripted servers: deleting at commit, and an upstream that fails while messages stream.</summary>
public sealed class ImapStoreCommitTranscriptTests
{
    [Fact]
    public async Task Without_uidplus_by_default_deleted_messages_are_only_flagged()
    {
        await using var server = ScriptedImapServer.Start(async c =>
        {
            await OpenAsync(c, string.Empty, "* 1 FETCH (UID 4 RFC822.SIZE 10 FLAGS ())", "* 2 FETCH (UID 5 RFC822.SIZE 10 FLAGS ())", "* 3 FETCH (UID 7 RFC822.SIZE 10 FLAGS ())");
            await c.ExpectAsync("A5 UID STORE 4:5 +FLAGS.SILENT (\\Deleted)");
            await c.SendAsync("A5 OK stored\r\n");
            await c.ExpectAsync("A6 LOGOUT");
            await c.SendAsync("A6 OK out\r\n");
        });
        await using (var maildrop = await new ImapStore(Options(server.Port)).OpenAsync(Request, CancellationToken.None))
        {
            await maildrop.CommitAsync([0, 1], CancellationToken.None);
        }

        await server.CompletedAsync();
    }

    [Theory]
    [InlineData("4 5", true)]
    [InlineData("4 5 7", false)]
    public async Task Without_uidplus_expunges_only_when_no_other_message_is_flagged(string flagged, bool expunge)
    {
        await using var server = ScriptedImapServer.Start(async c =>
        {
            await OpenAsync(c, string.Empty, "* 1 FETCH (UID 4 RFC822.SIZE 10 FLAGS ())", "* 2 FETCH (UID 5 RFC822.SIZE 10 FLAGS ())", "* 3 FETCH (UID 7 RFC822.SIZE 10 FLAGS (\\Deleted))");
            await c.ExpectAsync("A5 UID STORE 4:5 +FLAGS.SILENT (\\Deleted)");
            await c.SendAsync("A5 OK stored\r\n");
            await c.ExpectAsync("A6 UID SEARCH DELETED");
            await c.SendAsync($"* SEARCH {flagged}\r\nA6 OK searched\r\n");
            var next = 7;
            if (expunge)
            {
                await c.ExpectAsync("A7 EXPUNGE");
                await c.SendAsync("* 1 EXPUNGE\r\n* 1 EXPUNGE\r\nA7 OK expunged\r\n");
                next = 8;
            }

            await c.ExpectAsync($"A{next} LOGOUT");
            await c.SendAsync($"A{next} OK out\r\n");
        });
        var options = Options(server.Port) with { ExpungeWithoutUidPlus = ExpungeWithoutUidPlus.WhenNoOtherDeleted };
        await using (var maildrop = await new ImapStore(options).OpenAsync(Request, CancellationToken.None))
        {
            await maildrop.CommitAsync([0, 1], CancellationToken.None);
        }

        await server.CompletedAsync();
    }

    [Fact]
    public async Task With_uidplus_flags_and_expunges_exactly_the_deleted_uids_in_one_flight()
    {
        await using var server = ScriptedImapServer.Start(async c =>
        {
            await OpenAsync(c, "UIDPLUS", "* 1 FETCH (UID 4 RFC822.SIZE 10 FLAGS ())", "* 2 FETCH (UID 5 RFC822.SIZE 10 FLAGS ())", "* 3 FETCH (UID 9 RFC822.SIZE 10 FLAGS ())");
            await c.ExpectAsync("A5 UID STORE 4,9 +FLAGS.SILENT (\\Deleted)");
            await c.ExpectAsync("A6 UID EXPUNGE 4,9");
            await c.SendAsync("A5 OK stored\r\n* 3 EXPUNGE\r\n* 1 EXPUNGE\r\nA6 OK expunged\r\n");
            await c.ExpectAsync("A7 LOGOUT");
            await c.SendAsync("A7 OK out\r\n");
        });
        await using (var maildrop = await new ImapStore(Options(server.Port)).OpenAsync(Request, CancellationToken.None))
        {
            await maildrop.CommitAsync([2, 0], CancellationToken.None);
        }

        await server.CompletedAsync();
    }

    [Fact]
    public async Task An_upstream_that_drops_mid_retr_throws_and_then_deletes_nothing()
    {
        await using var server = ScriptedImapServer.Start(async c =>
        {
            await OpenAsync(c, "UIDPLUS", "* 1 FETCH (UID 4 RFC822.SIZE 100 FLAGS ())");
            await c.ExpectAsync("A5 UID FETCH 4 (BODY.PEEK[])");
            await c.SendAsync("* 1 FETCH (UID 4 BODY[] {100}\r\nSubject: cut\r\n\r\nonly part of it");
        });
        var maildrop = await new ImapStore(Options(server.Port)).OpenAsync(Request, CancellationToken.None);
        await using (maildrop)
        {
            var sink = new CollectingSink();
            var e = await Assert.ThrowsAsync<MaildropException>(async () => await maildrop.WriteMessageAsync(0, sink, null, CancellationToken.None));
            Assert.Equal(ResponseCodes.SysTemp, e.Code);
            Assert.StartsWith("Subject: cut", Encoding.ASCII.GetString(sink.Raw), StringComparison.Ordinal);
            await Assert.ThrowsAsync<MaildropException>(async () => await maildrop.CommitAsync([0], CancellationToken.None));
        }

        await server.CompletedAsync();
        Assert.DoesNotContain(server.Received, l => l.Contains("STORE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_message_expunged_by_another_client_is_a_temporary_error_for_that_message()
    {
        await using var server = ScriptedImapServer.Start(async c =>
        {
            await OpenAsync(c, "UIDPLUS", "* 1 FETCH (UID 4 RFC822.SIZE 100 FLAGS ())");
            await c.ExpectAsync("A5 UID FETCH 4 (BODY.PEEK[])");
            await c.SendAsync("* 1 EXPUNGE\r\nA5 OK nothing\r\n");
            await c.ExpectAsync("A6 LOGOUT");
            await c.SendAsync("A6 OK out\r\n");
        });
        await using (var maildrop = await new ImapStore(Options(server.Port)).OpenAsync(Request, CancellationToken.None))
        {
            var sink = new CollectingSink();
            var e = await Assert.ThrowsAsync<MaildropException>(async () => await maildrop.WriteMessageAsync(0, sink, null, CancellationToken.None));
            Assert.Equal(ResponseCodes.SysTemp, e.Code);
            Assert.Empty(sink.Raw);
        }

        await server.CompletedAsync();
    }
}
