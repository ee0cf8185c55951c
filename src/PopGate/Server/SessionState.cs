namespace PopGate.Server;

/// <summary>The states of RFC 1939 §3.</summary>
internal enum SessionState
{
    Authorization,
    Transaction,
    Update,
}
