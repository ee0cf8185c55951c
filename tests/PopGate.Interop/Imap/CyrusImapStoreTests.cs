using PopGate.Imap;
using PopGate.Stores;
using PopGate.Stores.Imap;
using PopGate.Testing;

namespace PopGate.Interop.Imap;

/// <summary>The IMAP store against a private Cyrus 3.6.</summary>
public sealed class CyrusImapStoreTests(CyrusPeer peer) : ImapGatewayContract<CyrusPeer>(peer), IClassFixture<CyrusPeer>
{
    /// <summary>Cyrus keeps every message it accepts byte for byte (munge8bit is off in the launcher).</summary>
    protected override bool KeepsExactly(byte[] sent) => true;

    [Fact]
    public void Cyrus_refuses_some_corpus_files_and_only_for_the_documented_reasons()
    {
        Assert.All(Peer.Refused, r => Assert.Matches("NUL|bare newline|invalid header|Zero-length", r.Error));
    }

    [Fact]
    public async Task A_body_cyrus_sends_as_literal8_streams_exactly()
    {
        // A NUL in the body is accepted only in a literal8; BODY[] then comes back as ~{n}.
        var message = "Subject: binary\r\nContent-Type: text/plain\r\n\r\nnul \0 here\r\n"u8.ToArray();
        var folder = Peer.FolderPrefix + "Bin" + Guid.NewGuid().ToString("N")[..8];
        await using (var client = await Peer.ClientAsync())
        {
            await client.RunOneAsync(new BatchItem(new ImapCommand("CREATE").AString(folder)), CancellationToken.None);
            var result = await client.AppendAsync(folder, [message], null, binary: true, CancellationToken.None);
            Assert.True(result[0].Accepted, result[0].Error);
        }

        await using var maildrop = await new ImapStore(Peer.StoreOptions(folder)).OpenAsync(ImapPeer.Request(), CancellationToken.None);
        var sink = new CollectingSink();
        await maildrop.WriteMessageAsync(0, sink, null, CancellationToken.None);
        Assert.Equal(message, sink.Raw);
        Assert.Equal(message.Length, maildrop.Messages[0].Size);
    }

    [Fact]
    public async Task A_password_that_needs_a_literal_logs_in_with_login_and_plain()
    {
        var (user, password) = CyrusPeer.OddAccount;
        foreach (var mechanism in new[] { ImapAuthMechanism.Login, ImapAuthMechanism.Plain })
        {
            var options = Peer.StoreOptions("INBOX") with { User = user, Password = password, Mechanism = mechanism };
            await using var maildrop = await new ImapStore(options).OpenAsync(ImapPeer.Request(), CancellationToken.None);
            Assert.Empty(maildrop.Messages);
        }
    }

    [Fact]
    public async Task Retrieving_many_messages_in_a_row_is_not_slowed_by_nagle()
    {
        // Cyrus writes without TCP_NODELAY: with delayed ACKs on our side each message of some kilobytes would
        // wait about 40 ms for the last piece of its reply. The bound is loose (30 ms a message) so that a loaded machine
        // does not fail it, yet 40 stalls of 40 ms would.
        var line = new string('x', 70) + "\n";
        var messages = Enumerable.Range(0, 40).Select(i => $"Subject: {i}\n\n" + string.Concat(Enumerable.Repeat(line, 120 + i))).ToArray();
        var (folder, _) = await Peer.NewFolderAsync(messages);
        await using var maildrop = await new ImapStore(Peer.StoreOptions(folder)).OpenAsync(ImapPeer.Request(), CancellationToken.None);
        var started = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < messages.Length; i++)
        {
            await maildrop.WriteMessageAsync(i, new CollectingSink(), null, CancellationToken.None);
        }

        Assert.True(started.Elapsed < TimeSpan.FromMilliseconds(messages.Length * 30), $"{messages.Length} messages took {started.ElapsedMilliseconds} ms");
    }
}
