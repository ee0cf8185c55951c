namespace PopGate.Client;

/// <summary>One unique-id listing of UIDL: a message number and its UIDL, stable across sessions.</summary>
public readonly record struct Pop3UidEntry(int Number, string Uid);
