using PopGate.Imap;

namespace PopGate.Testing;

/// <summary>Fills a mailbox of a test IMAP server (Cyrus, Dovecot) over IMAP, byte for byte.</summary>
public static class ImapAppender
{
    /// <summary>
    /// Logs in on 127.0.0.1 without TLS and appends every message with its own APPEND, pipelined with LITERAL+ where
    /// the server has it (TCP_NODELAY is always on). Returns each message's verdict and UID, in order; a message the
    /// server refuses (Cyrus: NUL, bare LF, malformed header) does not stop the others.
    /// </summary>
    /// <param name="binary">Send literal8, so that NUL octets may pass (servers with BINARY).</param>
    public static async Task<IReadOnlyList<AppendResult>> AppendAsync(
        int port, string user, string password, IEnumerable<byte[]> messages, string mailbox = "INBOX", bool binary = false)
    {
        var options = new ImapConnectionOptions { Host = "127.0.0.1", Port = port, Security = ImapSecurity.None };
        await using var client = await ImapClient.ConnectAsync(options, CancellationToken.None).ConfigureAwait(false);
        await client.LoginAsync(user, password, ImapAuthMechanism.Login, CancellationToken.None).ConfigureAwait(false);
        var results = await client.AppendAsync(mailbox, messages.Select(m => (ReadOnlyMemory<byte>)m).ToList(), null, binary, CancellationToken.None).ConfigureAwait(false);
        await client.LogoutAsync(CancellationToken.None).ConfigureAwait(false);
        return results;
    }
}
