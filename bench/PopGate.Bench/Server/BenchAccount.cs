namespace PopGate.Bench.Server;

/// <summary>
/// A user both kinds of server get: its password, the same users-file password field for both, and the maildrop
/// (a folder name) it reads. Several accounts may read one maildrop, though never at the same time.
/// </summary>
public sealed record BenchAccount(string Name, string Password, string StoredPassword, string Maildrop, int Messages);
