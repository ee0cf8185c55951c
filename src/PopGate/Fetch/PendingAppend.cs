namespace PopGate.Fetch;

/// <summary>
/// An append about to be made to a shared file (an mbox): where it starts, how long it is and the SHA-256 of its
/// bytes, recorded before the first byte is written so an interrupted run can tell a complete append from a torn one.
/// </summary>
public sealed record PendingAppend(long Offset, long Length, byte[] Sha256);
