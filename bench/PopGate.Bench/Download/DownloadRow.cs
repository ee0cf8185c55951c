namespace PopGate.Bench.Download;

/// <summary>One run of one tool in one cell: time, memory, what crossed the proxy, and whether the result checked out.</summary>
public sealed record DownloadRow(
    DownloadCell Cell,
    string Tool,
    int Repetition,
    ToolRun Run,
    long ServerToClientBytes,
    long ClientToServerBytes,
    int ClientTurns,
    int Connections,
    DeliveryReport Delivery,
    int ServerLeft)
{
    /// <summary>The tool succeeded, every message arrived intact exactly once, and the server kept none.</summary>
    public bool Verified => Run.Succeeded && Delivery.Ok && ServerLeft == 0;

    public double Seconds => Run.Wall.TotalSeconds;
}
