namespace PopGate.Client;

/// <summary>The STAT reply: how many messages the maildrop holds and their total size in octets.</summary>
public readonly record struct Pop3Stat(int Count, long Size);
