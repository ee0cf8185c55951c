namespace PopGate.Interop.Fetch;

/// <summary>`popgate fetch` against `popgate serve` running as its own process.</summary>
public sealed class PopGateServeFetchTests(PopGateFetchPeer peer) : FetchContract, IClassFixture<PopGateFetchPeer>
{
    protected override IFetchPeer Peer => peer;
}
