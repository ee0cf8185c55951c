namespace PopGate.Interop.Fetch;

/// <summary>`popgate fetch` against Dovecot's POP3 server.</summary>
public sealed class DovecotFetchTests(DovecotFetchPeer peer) : FetchContract, IClassFixture<DovecotFetchPeer>
{
    protected override IFetchPeer Peer => peer;
}
