using System.Text;
using PopGate.Imap;
using PopGate.Protocol;
using PopGate.Stores;
using PopGate.Stores.Imap;
using PopGate.Testing;

namespace PopGate.Interop.Imap;

/// <summary>What the IMAP store must do against every real server.</summary>
public abstract class ImapStoreContract<TPeer>(TPeer peer)
    where TPeer : ImapPeer
{
    protected TPeer Peer { get; } = peer;

    /// <summary>Whether the server gives back the corpus file as it was sent (after CRLF normalisation).</summary>
    protected abstract bool KeepsExactly(byte[] sent);

    [Fact]
    public async Task Streams_every_corpus_message_byte_exact_with_the_listed_size()
    {
        Assert.True(Peer.Corpus.Count > 100, $"only {Peer.Corpus.Count} corpus messages were accepted");
        var store = new ImapStore(Peer.StoreOptions());
        await using var maildrop = await store.OpenAsync(ImapPeer.Request(), CancellationToken.None);
        Assert.Equal(Peer.Corpus.Count, maildrop.Messages.Count);

        await using var reference = await Peer.ClientAsync();
        await reference.SelectAsync(Peer.CorpusFolder, readOnly: true, CancellationToken.None);
        var differFromSource = new List<string>();
        for (var i = 0; i < Peer.Corpus.Count; i++)
        {
            var stored = Peer.Corpus[i];
            var sink = new CollectingSink();
            await maildrop.WriteMessageAsync(i, sink, null, CancellationToken.None);

            var own = new CollectingSink();
            await reference.FetchAsync(stored.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture), "(BODY.PEEK[])", own, CancellationToken.None);
            Assert.True(own.Raw.AsSpan().SequenceEqual(sink.Raw), $"{stored.File}: differs from the server's own BODY[]");
            Assert.True(sink.Unstuffed().Length == maildrop.Messages[i].Size, $"{stored.File}: listed {maildrop.Messages[i].Size}, sent {sink.Unstuffed().Length}");
            if (!stored.Sent.AsSpan().SequenceEqual(sink.Raw))
            {
                differFromSource.Add(stored.File);
            }
        }

        var unexpected = differFromSource.Where(f => KeepsExactly(Peer.Corpus.First(c => c.File == f).Sent)).ToList();
        Assert.True(unexpected.Count == 0, "changed by the server or the gateway: " + string.Join(", ", unexpected));
    }

    [Theory]
    [InlineData(4 * 1024 * 1024)]
    [InlineData(40 * 1024)]
    public async Task Pipelined_retrs_fetched_ahead_are_the_same_bytes_in_any_order(long budget)
    {
        // A pipelining client announces what it asks next; the store fetches those in one FETCH (some in the
        // background), within the budget. Order mixed and a message skipped, to show nothing is served to the wrong RETR.
        var store = new ImapStore(Peer.StoreOptions() with { ReadAheadBytes = budget });
        await using var maildrop = await store.OpenAsync(ImapPeer.Request(), CancellationToken.None);
        var order = Enumerable.Range(0, maildrop.Messages.Count).Where(i => i % 7 != 3).ToList();
        (order[2], order[5]) = (order[5], order[2]);
        await using var reference = await Peer.ClientAsync();
        await reference.SelectAsync(Peer.CorpusFolder, readOnly: true, CancellationToken.None);
        for (var n = 0; n < order.Count; n++)
        {
            ((IReadAhead)maildrop).Upcoming(order.Skip(n + 1).Take(63).Append(3).ToList());
            var sink = new CollectingSink();
            await maildrop.WriteMessageAsync(order[n], sink, null, CancellationToken.None);
            var stored = Peer.Corpus[order[n]];
            Assert.True(sink.Unstuffed().Length == maildrop.Messages[order[n]].Size, $"{stored.File}: listed {maildrop.Messages[order[n]].Size}, sent {sink.Unstuffed().Length}");
            Assert.Contains(stored.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture), maildrop.Messages[order[n]].Uid, StringComparison.Ordinal);
            var own = new CollectingSink();
            await reference.FetchAsync(stored.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture), "(BODY.PEEK[])", own, CancellationToken.None);
            Assert.True(own.Raw.AsSpan().SequenceEqual(sink.Raw), $"{stored.File}: differs from the server's own BODY[]");
        }
    }

    [Fact]
    public async Task Messages_without_a_final_line_end_are_listed_with_the_crlf_pop3_adds()
    {
        var (folder, _) = await Peer.NewFolderAsync("Subject: a\n\nno final newline", "Subject: b\n\nwith one\n");
        var store = new ImapStore(Peer.StoreOptions(folder));
        await using var maildrop = await store.OpenAsync(ImapPeer.Request(), CancellationToken.None);
        for (var i = 0; i < 2; i++)
        {
            var sink = new CollectingSink();
            await maildrop.WriteMessageAsync(i, sink, null, CancellationToken.None);
            Assert.Equal(sink.Unstuffed().Length, maildrop.Messages[i].Size);
            Assert.EndsWith("\r\n", Encoding.ASCII.GetString(sink.Unstuffed()), StringComparison.Ordinal);
        }

        Assert.Equal("Subject: a\r\n\r\nno final newline".Length + 2, maildrop.Messages[0].Size);
    }

    [Fact]
    public async Task Uidls_are_validity_dot_uid_and_identical_across_sessions()
    {
        var store = new ImapStore(Peer.StoreOptions());
        IReadOnlyList<MessageEntry> first;
        await using (var one = await store.OpenAsync(ImapPeer.Request(), CancellationToken.None))
        {
            first = one.Messages;
        }

        await using var two = await store.OpenAsync(ImapPeer.Request(), CancellationToken.None);
        Assert.Equal(first, two.Messages);
        Assert.Equal(first.Count, first.Select(m => m.Uid).Distinct().Count());
        var validity = first[0].Uid.Split('.')[0];
        Assert.Equal(Peer.Corpus.Select(c => $"{validity}.{c.Uid}"), first.Select(m => m.Uid));
        Assert.All(first, m => Assert.True(Pop3Limits.IsValidUid(m.Uid)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(5000)]
    public async Task Top_gives_the_header_and_the_first_body_lines(int lines)
    {
        var store = new ImapStore(Peer.StoreOptions());
        await using var maildrop = await store.OpenAsync(ImapPeer.Request(), CancellationToken.None);
        // A mix of small and large messages, some with lines starting with '.'.
        foreach (var i in Enumerable.Range(0, Peer.Corpus.Count).Where(i => i % 9 == 0))
        {
            var whole = new CollectingSink();
            await maildrop.WriteMessageAsync(i, whole, null, CancellationToken.None);
            var top = new CollectingSink(lines);
            await maildrop.WriteMessageAsync(i, top, lines, CancellationToken.None);
            Assert.True(CollectingSink.StuffedOf(whole.Raw, lines).AsSpan().SequenceEqual(top.Stuffed()), $"TOP {lines} of {Peer.Corpus[i].File}");
        }
    }

    [Fact]
    public async Task Commit_expunges_exactly_the_given_messages_and_spares_one_another_client_flagged()
    {
        var (folder, uids) = await Peer.NewFolderAsync(
            "Subject: 1\n\none\n", "Subject: 2\n\ntwo\n", "Subject: 3\n\nthree\n", "Subject: 4\n\nfour\n", "Subject: 5\n\nfive\n");
        await using (var other = await Peer.ClientAsync())
        {
            await other.SelectAsync(folder, readOnly: false, CancellationToken.None);
            await other.RunOneAsync(other.CreateAddFlags(uids[1].ToString(System.Globalization.CultureInfo.InvariantCulture), "\\Deleted"), CancellationToken.None);
        }

        var store = new ImapStore(Peer.StoreOptions(folder));
        await using (var maildrop = await store.OpenAsync(ImapPeer.Request(), CancellationToken.None))
        {
            // The message another client flagged is on its way out: not listed.
            Assert.Equal(4, maildrop.Messages.Count);
            var validity = maildrop.Messages[0].Uid.Split('.')[0];
            Assert.Equal(new[] { 0, 2, 3, 4 }.Select(i => $"{validity}.{uids[i]}"), maildrop.Messages.Select(m => m.Uid));
            await maildrop.CommitAsync([0, 2], CancellationToken.None);
        }

        var state = await Peer.StateAsync(folder);
        Assert.Equal(new[] { uids[1], uids[2], uids[4] }, state.Select(s => s.Uid!.Value));
        Assert.True(state[0].HasFlag("\\Deleted"));
        Assert.False(state[1].HasFlag("\\Deleted"));
        Assert.False(state[2].HasFlag("\\Deleted"));
    }

    [Fact]
    public async Task Dispose_without_commit_changes_nothing_and_leaves_messages_unseen()
    {
        var (folder, uids) = await Peer.NewFolderAsync("Subject: 1\n\none\n", "Subject: 2\n\ntwo\n");
        var store = new ImapStore(Peer.StoreOptions(folder));
        await using (var maildrop = await store.OpenAsync(ImapPeer.Request(), CancellationToken.None))
        {
            await maildrop.WriteMessageAsync(0, new CollectingSink(), null, CancellationToken.None);
            await maildrop.WriteMessageAsync(1, new CollectingSink(1), 1, CancellationToken.None);
        }

        var state = await Peer.StateAsync(folder);
        Assert.Equal(uids, state.Select(s => s.Uid!.Value));
        Assert.All(state, s => Assert.DoesNotContain(s.Flags!, f => f is "\\Deleted" or "\\Seen"));
    }

    [Fact]
    public async Task Pass_through_logs_in_with_the_pop3_users_password_and_a_wrong_one_is_auth()
    {
        var options = Peer.StoreOptions() with { User = null, Password = null };
        var store = new ImapStore(options);
        await using (var maildrop = await store.OpenAsync(new MaildropRequest(Peer.User, Peer.Password), CancellationToken.None))
        {
            Assert.Equal(Peer.Corpus.Count, maildrop.Messages.Count);
        }

        var wrong = await Assert.ThrowsAsync<MaildropException>(async () => await store.OpenAsync(new MaildropRequest(Peer.User, "wrong"), CancellationToken.None));
        Assert.Equal(ResponseCodes.Auth, wrong.Code);
        var unknown = await Assert.ThrowsAsync<MaildropException>(async () => await store.OpenAsync(new MaildropRequest("nosuchuser", "x"), CancellationToken.None));
        Assert.Equal(ResponseCodes.Auth, unknown.Code);
    }

    [Fact]
    public async Task A_second_open_of_the_same_account_is_in_use_until_the_first_closes()
    {
        var store = new ImapStore(Peer.StoreOptions());
        await using (await store.OpenAsync(ImapPeer.Request(), CancellationToken.None))
        {
            var e = await Assert.ThrowsAsync<MaildropException>(async () => await store.OpenAsync(ImapPeer.Request(), CancellationToken.None));
            Assert.Equal(ResponseCodes.InUse, e.Code);
        }

        await using var again = await store.OpenAsync(ImapPeer.Request(), CancellationToken.None);
        Assert.NotEmpty(again.Messages);
    }

    [Theory]
    [InlineData(ImapSecurity.StartTls, ImapAuthMechanism.Login)]
    [InlineData(ImapSecurity.Ssl, ImapAuthMechanism.Plain)]
    [InlineData(ImapSecurity.None, ImapAuthMechanism.Login)]
    [InlineData(ImapSecurity.None, ImapAuthMechanism.Plain)]
    public async Task Logs_in_over_tls_with_a_pinned_fingerprint_and_with_each_mechanism(ImapSecurity security, ImapAuthMechanism mechanism)
    {
        var options = Peer.StoreOptions() with
        {
            Security = security,
            Port = security == ImapSecurity.Ssl ? Peer.ImapsPort : Peer.ImapPort,
            Fingerprint = security == ImapSecurity.None ? null : Peer.CertificateSha256,
            SniHost = "localhost",
            Mechanism = mechanism,
        };
        await using var maildrop = await new ImapStore(options).OpenAsync(ImapPeer.Request(), CancellationToken.None);
        Assert.Equal(Peer.Corpus.Count, maildrop.Messages.Count);
        var sink = new CollectingSink();
        await maildrop.WriteMessageAsync(0, sink, null, CancellationToken.None);
        Assert.Equal(Peer.Corpus[0].Sent, sink.Raw);
    }

    [Fact]
    public async Task A_certificate_that_fails_the_checks_is_refused_as_sys_temp()
    {
        var wrongPin = Peer.StoreOptions() with { Security = ImapSecurity.Ssl, Port = Peer.ImapsPort, Fingerprint = new string('A', 64) };
        var pinned = await Assert.ThrowsAsync<MaildropException>(async () => await new ImapStore(wrongPin).OpenAsync(ImapPeer.Request(), CancellationToken.None));
        Assert.Equal(ResponseCodes.SysTemp, pinned.Code);

        // Self-signed: the system's checks refuse it.
        var system = Peer.StoreOptions() with { Security = ImapSecurity.StartTls, SniHost = "localhost" };
        var refused = await Assert.ThrowsAsync<MaildropException>(async () => await new ImapStore(system).OpenAsync(ImapPeer.Request(), CancellationToken.None));
        Assert.Equal(ResponseCodes.SysTemp, refused.Code);

        var insecure = system with { Insecure = true };
        await using var maildrop = await new ImapStore(insecure).OpenAsync(ImapPeer.Request(), CancellationToken.None);
        Assert.NotEmpty(maildrop.Messages);
    }

    [Fact]
    public async Task Several_folders_are_one_maildrop_with_tagged_uidls_and_deletions_in_each()
    {
        var (a, uidsA) = await Peer.NewFolderAsync("Subject: a1\n\na1\n", "Subject: a2\n\na2\n");
        var (b, uidsB) = await Peer.NewFolderAsync("Subject: b1\n\nb1\n", "Subject: b2\n\nb2\n");
        var store = new ImapStore(Peer.StoreOptions(a, b));
        await using (var maildrop = await store.OpenAsync(ImapPeer.Request(), CancellationToken.None))
        {
            Assert.Equal(4, maildrop.Messages.Count);
            Assert.Equal(4, maildrop.Messages.Select(m => m.Uid).Distinct().Count());
            var tags = maildrop.Messages.Select(m => m.Uid.Split('.')).ToList();
            Assert.All(tags, t => Assert.Equal(3, t.Length));
            Assert.Equal(tags[0][0], tags[1][0]);
            Assert.NotEqual(tags[1][0], tags[2][0]);
            // Reading back and forth between the folders re-selects each.
            foreach (var i in new[] { 3, 0, 2, 1 })
            {
                var sink = new CollectingSink();
                await maildrop.WriteMessageAsync(i, sink, null, CancellationToken.None);
                Assert.Contains($"Subject: {(i < 2 ? 'a' : 'b')}{(i % 2) + 1}", Encoding.ASCII.GetString(sink.Raw), StringComparison.Ordinal);
            }

            await maildrop.CommitAsync([1, 2], CancellationToken.None);
        }

        Assert.Equal([uidsA[0]], (await Peer.StateAsync(a)).Select(s => s.Uid!.Value));
        Assert.Equal([uidsB[1]], (await Peer.StateAsync(b)).Select(s => s.Uid!.Value));
    }

    [Fact]
    public async Task Read_only_examines_and_refuses_to_delete()
    {
        var (folder, uids) = await Peer.NewFolderAsync("Subject: 1\n\none\n");
        var store = new ImapStore(Peer.StoreOptions(folder) with { ReadOnly = true });
        await using (var maildrop = await store.OpenAsync(ImapPeer.Request(), CancellationToken.None))
        {
            await maildrop.WriteMessageAsync(0, new CollectingSink(), null, CancellationToken.None);
            var e = await Assert.ThrowsAsync<MaildropException>(async () => await maildrop.CommitAsync([0], CancellationToken.None));
            Assert.Equal(ResponseCodes.SysPerm, e.Code);
        }

        Assert.Equal(uids, (await Peer.StateAsync(folder)).Select(s => s.Uid!.Value));
    }

    [Fact]
    public async Task A_missing_folder_is_a_maildrop_error()
    {
        var store = new ImapStore(Peer.StoreOptions("NoSuchFolder"));
        var e = await Assert.ThrowsAsync<MaildropException>(async () => await store.OpenAsync(ImapPeer.Request(), CancellationToken.None));
        Assert.Contains(e.Code, new[] { ResponseCodes.SysPerm, ResponseCodes.SysTemp });
    }
}
