namespace PopGate.Cli.Fetch;

/// <summary>How far one account got: updated from the fetch, read by the display.</summary>
internal sealed class AccountProgress(string name)
{
    private int _messages;
    private long _bytes;

    public string Name { get; } = name;

    public int PlannedMessages { get; private set; }

    public long PlannedBytes { get; private set; }

    public bool IsPlanned { get; private set; }

    public int Messages => Volatile.Read(ref _messages);

    public long Bytes => Interlocked.Read(ref _bytes);

    public void Plan(int messages, long bytes)
    {
        PlannedMessages = messages;
        PlannedBytes = bytes;
        IsPlanned = true;
    }

    public void Add(long octets)
    {
        Interlocked.Increment(ref _messages);
        Interlocked.Add(ref _bytes, octets);
    }
}
