namespace PopGate.Interop.Imap;

/// <summary>The IMAP store against a private Dovecot 2.3 serving IMAP from the unpacked dovecot-imapd.</summary>
public sealed class DovecotImapStoreTests(DovecotImapPeer peer) : ImapGatewayContract<DovecotImapPeer>(peer), IClassFixture<DovecotImapPeer>
{
    /// <summary>Dovecot sends each NUL as 0x80 in BODY[], and drops a CR right before CRLF or at the very end.</summary>
    protected override bool KeepsExactly(byte[] sent) =>
        !sent.Contains((byte)0) && sent.AsSpan().IndexOf("\r\r\n"u8) < 0 && sent[^1] != (byte)'\r';

    [Fact]
    public void Dovecot_accepts_every_non_empty_corpus_file()
    {
        Assert.Empty(Peer.Refused);
    }
}
