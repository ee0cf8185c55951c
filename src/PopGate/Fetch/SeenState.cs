namespace PopGate.Fetch;

/// <summary>What the state store knows of one message of one server.</summary>
public enum SeenState
{
    /// <summary>An append to an mbox began; whether it completed is settled on the next run.</summary>
    Pending = 0,

    /// <summary>Delivered and synced to disk; on the server until a QUIT after its DELE.</summary>
    Delivered = 1,
}
