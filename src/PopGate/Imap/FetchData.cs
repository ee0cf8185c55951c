namespace PopGate.Imap;

/// <summary>What one FETCH response carried. Sections streamed to a sink are not kept, only their length.</summary>
public sealed class FetchData
{
    private Dictionary<string, byte[]>? _sections;
    private Dictionary<string, long>? _streamed;

    public FetchData(long sequence) => Sequence = sequence;

    /// <summary>The message sequence number.</summary>
    public long Sequence { get; }

    public uint? Uid { get; set; }

    /// <summary>RFC822.SIZE.</summary>
    public long? Size { get; set; }

    /// <summary>FLAGS, when the response had them.</summary>
    public IReadOnlyList<string>? Flags { get; set; }

    /// <summary>Small sections kept in memory, by item name as the server spelled it in upper case (BODY[]&lt;0&gt;).</summary>
    public IReadOnlyDictionary<string, byte[]> Sections => _sections ?? (IReadOnlyDictionary<string, byte[]>)EmptySections;

    /// <summary>Sections that went to a sink, with their length in octets.</summary>
    public IReadOnlyDictionary<string, long> StreamedSections => _streamed ?? (IReadOnlyDictionary<string, long>)EmptyStreamed;

    public bool HasFlag(string flag) => Flags?.Contains(flag, StringComparer.OrdinalIgnoreCase) ?? false;

    /// <summary>A summary for the transcript: items and section lengths, never contents.</summary>
    public override string ToString()
    {
        var items = new List<string>();
        if (Uid is { } uid)
        {
            items.Add($"UID {uid}");
        }

        if (Size is { } size)
        {
            items.Add($"RFC822.SIZE {size}");
        }

        if (Flags is { } flags)
        {
            items.Add($"FLAGS ({string.Join(' ', flags)})");
        }

        items.AddRange(Sections.Select(s => $"{s.Key} <{s.Value.Length} octets>"));
        items.AddRange(StreamedSections.Select(s => $"{s.Key} <{s.Value} octets streamed>"));
        return $"* {Sequence} FETCH ({string.Join(' ', items)})";
    }

    internal void AddSection(string name, byte[] value) => (_sections ??= new(StringComparer.Ordinal))[name] = value;

    internal void AddStreamed(string name, long length) => (_streamed ??= new(StringComparer.Ordinal))[name] = length;

    private static readonly Dictionary<string, byte[]> EmptySections = [];
    private static readonly Dictionary<string, long> EmptyStreamed = [];
}
