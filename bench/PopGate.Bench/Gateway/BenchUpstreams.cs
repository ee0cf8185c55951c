using System.Diagnostics;
using PopGate.Bench.Corpus;
using PopGate.Imap;
using PopGate.Testing;

namespace PopGate.Bench.Gateway;

/// <summary>Starts the IMAP (and JMAP) servers behind the gateway and fills them with the benchmark corpus.</summary>
public static class BenchUpstreams
{
    public const string BigUser = "big";
    public const string BigPassword = "big-pass";

    /// <summary>
    /// Dovecot with POP3 and IMAP on one Maildir: the corpus hard-linked into new/ (the names carry S= and W=, as
    /// Dovecot's LDA writes them), then one IMAP listing and one POP3 STAT so that Dovecot has built its index and
    /// POP3 UIDL list before anything is timed. A second user holds a small and a large message for the memory test.
    /// </summary>
    public static async Task<DovecotServer> StartDovecotAsync(CorpusMaildir corpus, int largeMegabytes, CancellationToken cancellationToken)
    {
        var dovecot = await DovecotServer.StartAsync(new DovecotOptions
        {
            Protocols = "pop3 imap",
            Performance = true,
            Accounts = [new DovecotAccount(BigUser, "{PLAIN}" + BigPassword)],
        }).ConfigureAwait(false);
        try
        {
            var clock = Stopwatch.StartNew();
            corpus.LinkInto(dovecot.Maildir, corpus.Files.Count);
            if (largeMegabytes > 0)
            {
                var big = Path.Combine(dovecot.HomeOf(BigUser), "Maildir", "new");
                File.Copy(Path.Combine(corpus.Folder, corpus.Files[0].Name), Path.Combine(big, "1700000001.small"));
                await WriteLargeAsync(Path.Combine(big, "1700000002.large"), largeMegabytes, cancellationToken).ConfigureAwait(false);
            }

            await ProcessRunner.ChownAsync(Path.Combine(dovecot.BaseDir, "home"), "nobody").ConfigureAwait(false);
            var listed = await ListAsync(dovecot.ImapPort, dovecot.Options.User, dovecot.Options.Password, cancellationToken).ConfigureAwait(false);
            if (listed != corpus.Files.Count)
            {
                throw new InvalidOperationException($"Dovecot lists {listed} of {corpus.Files.Count} messages");
            }

            Console.Error.WriteLine($"dovecot: {listed} messages linked and indexed in {clock.Elapsed.TotalSeconds:0.0} s");
            return dovecot;
        }
        catch
        {
            await dovecot.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Cyrus (prefork, no TLS) with the corpus appended over IMAP, pipelined with LITERAL+, in batches. Cyrus
    /// refuses bare LF, so the messages go with CRLF line ends: the same messages as on the POP3 wire.
    /// </summary>
    public static async Task<CyrusServer> StartCyrusAsync(int count, int seed, CancellationToken cancellationToken)
    {
        var cyrus = await CyrusServer.StartAsync(new CyrusOptions { Tls = false, Performance = true }).ConfigureAwait(false);
        try
        {
            var clock = Stopwatch.StartNew();
            var refused = 0;
            foreach (var batch in CorpusGenerator.Generate(count, seed).Select(m => Crlf(m.Bytes)).Chunk(500))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var results = await cyrus.AppendAsync(batch).ConfigureAwait(false);
                refused += results.Count(r => !r.Accepted);
            }

            if (refused > 0)
            {
                throw new InvalidOperationException($"Cyrus refused {refused} of {count} messages");
            }

            var listed = await ListAsync(cyrus.ImapPort, cyrus.Options.User, cyrus.Options.Password, cancellationToken).ConfigureAwait(false);
            Console.Error.WriteLine($"cyrus: {listed} messages appended in {clock.Elapsed.TotalSeconds:0.0} s");
            return cyrus;
        }
        catch
        {
            await cyrus.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>LF line ends made CRLF.</summary>
    public static byte[] Crlf(byte[] message)
    {
        var lines = message.AsSpan().Count((byte)'\n');
        var result = new byte[message.Length + lines];
        var to = 0;
        foreach (var b in message)
        {
            if (b == (byte)'\n')
            {
                result[to++] = (byte)'\r';
            }

            result[to++] = b;
        }

        return result;
    }

    /// <summary>Logs in over IMAP and lists INBOX (UID and size), as the gateway does; returns the message count.</summary>
    private static async Task<int> ListAsync(int port, string user, string password, CancellationToken cancellationToken)
    {
        var options = new ImapConnectionOptions { Host = "127.0.0.1", Port = port, Security = ImapSecurity.None };
        await using var client = await ImapClient.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
        await client.LoginAsync(user, password, ImapAuthMechanism.Login, cancellationToken).ConfigureAwait(false);
        await client.SelectAsync("INBOX", readOnly: true, cancellationToken).ConfigureAwait(false);
        var listed = await client.FetchAsync("1:*", "(UID RFC822.SIZE)", null, cancellationToken).ConfigureAwait(false);
        await client.LogoutAsync(cancellationToken).ConfigureAwait(false);
        return listed.Count;
    }

    /// <summary>A plain-text message of about <paramref name="megabytes"/> MiB with LF line ends.</summary>
    private static async Task WriteLargeAsync(string path, int megabytes, CancellationToken cancellationToken)
    {
        var line = "0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuv\n"u8.ToArray();
        var stream = File.Create(path);
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync("Subject: large\nFrom: bench@example.org\n\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            var block = Enumerable.Repeat(line, 1024).SelectMany(l => l).ToArray();
            for (long written = 0; written < (long)megabytes << 20; written += block.Length)
            {
                await stream.WriteAsync(block, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
