using System.Globalization;
using PopGate.Interop.Imap;
using PopGate.Interop.Server;
using PopGate.Testing;

namespace PopGate.Interop.Gateway;

/// <summary>
/// `popgate serve` as a process in front of a real IMAP server, read by Python's poplib and fetchmail: what a
/// POP3-only program sees of an IMAP mailbox, and what its deletions do upstream.
/// </summary>
public abstract class ImapGatewayProcessContract<TPeer>(ImapGatewayFixture<TPeer> fixture)
    where TPeer : ImapPeer, new()
{
    private TPeer Peer => fixture.Peer;

    private int Port => fixture.Gateway.Port;

    [Fact]
    public async Task Poplib_gets_every_message_as_the_server_stores_it_with_exact_sizes_and_stable_uidls()
    {
        using var first = new TempDir("gateway-poplib");
        var report = await PoplibRunner.RunOkAsync(Port, "reader", ImapGatewayFixture<TPeer>.PopPassword, first.Path);
        var sizes = PoplibRunner.Sizes(report);
        Assert.Equal(Peer.Corpus.Count, sizes.Count);

        await using var reference = await Peer.ClientAsync();
        await reference.SelectAsync(Peer.CorpusFolder, readOnly: true, CancellationToken.None);
        for (var i = 0; i < Peer.Corpus.Count; i++)
        {
            var own = new CollectingSink();
            await reference.FetchAsync(Peer.Corpus[i].Uid.ToString(CultureInfo.InvariantCulture), "(BODY.PEEK[])", own, CancellationToken.None);
            var got = await File.ReadAllBytesAsync(Path.Combine(first.Path, (i + 1).ToString(CultureInfo.InvariantCulture)));
            Assert.True(TestCorpus.ToWire(own.Raw).AsSpan().SequenceEqual(got), $"{Peer.Corpus[i].File}: differs from the server's own BODY[]");
            Assert.True(got.Length == sizes[i], $"{Peer.Corpus[i].File}: LIST {sizes[i]}, RETR {got.Length}");
        }

        using var second = new TempDir("gateway-poplib");
        var again = await PoplibRunner.RunOkAsync(Port, "reader", ImapGatewayFixture<TPeer>.PopPassword, second.Path);
        Assert.Equal(PoplibRunner.Uidls(report), PoplibRunner.Uidls(again));
    }

    [Fact]
    public async Task Fetchmail_deletes_exactly_what_it_fetched_and_a_message_another_client_deleted_survives()
    {
        await using (var other = await Peer.ClientAsync())
        {
            await other.SelectAsync(fixture.DeleteFolder, readOnly: false, CancellationToken.None);
            await other.RunOneAsync(other.CreateAddFlags(fixture.DeleteUids[1].ToString(CultureInfo.InvariantCulture), "\\Deleted"), CancellationToken.None);
        }

        using var work = new TempDir("gateway-fetchmail");
        var delivered = await FetchmailRunner.FetchAsync(Port, "deleter", ImapGatewayFixture<TPeer>.PopPassword, work);
        var texts = DeliveredMail.Read(delivered).Select(System.Text.Encoding.ASCII.GetString).OrderBy(t => t, StringComparer.Ordinal).ToList();
        Assert.Equal(["Subject: 1\n\none\n", "Subject: 3\n\nthree\n", "Subject: 4\n\nfour\n", "Subject: 5\n\nfive\n"], texts);

        var state = await Peer.StateAsync(fixture.DeleteFolder);
        Assert.Equal([fixture.DeleteUids[1]], state.Select(s => s.Uid!.Value));
        Assert.True(state[0].HasFlag("\\Deleted"));
    }

    [Fact]
    public async Task Dele_then_a_dropped_connection_changes_nothing_upstream()
    {
        var client = await RawPop3Client.ConnectAsync(Port);
        await client.ReadLineAsync();
        await client.CommandAsync("USER dropper");
        Assert.StartsWith("+OK", await client.CommandAsync($"PASS {ImapGatewayFixture<TPeer>.PopPassword}"));
        Assert.StartsWith("+OK", await client.CommandAsync("DELE 1"));
        Assert.StartsWith("+OK", await client.CommandAsync("DELE 3"));
        client.Abort();
        await Task.Delay(500);

        var state = await Peer.StateAsync(fixture.DropFolder);
        Assert.Equal(fixture.DropUids, state.Select(s => s.Uid!.Value));
        Assert.DoesNotContain(state, s => s.HasFlag("\\Deleted"));
    }

    [Fact]
    public async Task Pass_through_logs_in_with_the_upstream_password_and_a_wrong_one_gets_auth()
    {
        using var outDir = new TempDir("gateway-poplib");
        var report = await PoplibRunner.RunOkAsync(Port, Peer.User, Peer.Password, outDir.Path);
        Assert.Equal(Peer.Corpus.Count, report.GetProperty("stat")[0].GetInt32());

        await using var client = await RawPop3Client.ConnectAsync(Port);
        await client.ReadLineAsync();
        await client.CommandAsync($"USER {Peer.User}");
        Assert.StartsWith("-ERR [AUTH]", await client.CommandAsync("PASS not-the-password"));
    }

    [Fact]
    public async Task An_unreachable_upstream_gets_sys_temp()
    {
        await using var client = await RawPop3Client.ConnectAsync(Port);
        await client.ReadLineAsync();
        await client.CommandAsync("USER down");
        Assert.StartsWith("-ERR [SYS/TEMP]", await client.CommandAsync($"PASS {ImapGatewayFixture<TPeer>.PopPassword}"));
    }

    [Fact]
    public async Task A_merge_of_an_imap_folder_and_a_maildir_reads_and_deletes_in_both()
    {
        using var outDir = new TempDir("gateway-poplib");
        var report = await PoplibRunner.RunOkAsync(Port, "merger", ImapGatewayFixture<TPeer>.PopPassword, outDir.Path, 1, 4);
        var uidls = PoplibRunner.Uidls(report);
        Assert.Equal(4, uidls.Count);
        Assert.StartsWith("imap-", uidls[0], StringComparison.Ordinal);
        Assert.Equal("local-1700000002.local2", uidls[3]);
        Assert.Equal("Subject: m1\r\n\r\nimap one\r\n", await File.ReadAllTextAsync(Path.Combine(outDir.Path, "1")));
        Assert.Equal("Subject: local one\r\n\r\nlocal\r\n", await File.ReadAllTextAsync(Path.Combine(outDir.Path, "3")));

        Assert.Single(await Peer.StateAsync(fixture.MergeFolder));
        Assert.Equal(["1700000001.local1"], Directory.GetFiles(Path.Combine(fixture.MergeMaildir, "new")).Select(Path.GetFileName));
    }
}

public sealed class CyrusGatewayProcessTests(CyrusGatewayFixture fixture)
    : ImapGatewayProcessContract<CyrusPeer>(fixture), IClassFixture<CyrusGatewayFixture>;

public sealed class DovecotImapGatewayProcessTests(DovecotImapGatewayFixture fixture)
    : ImapGatewayProcessContract<DovecotImapPeer>(fixture), IClassFixture<DovecotImapGatewayFixture>;
