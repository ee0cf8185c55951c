namespace PopGate.Fetch;

/// <summary>A message the state store remembers: its UIDL, its state, and the append in progress when pending.</summary>
public sealed record SeenEntry(string Uid, SeenState State, PendingAppend? Pending);
