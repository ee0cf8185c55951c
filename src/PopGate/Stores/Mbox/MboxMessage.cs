namespace PopGate.Stores.Mbox;

/// <summary>Where one message lies in an mbox file.</summary>
/// <param name="FromLineStart">Offset of its "From " separator line.</param>
/// <param name="ContentStart">Offset of its first header byte.</param>
/// <param name="ContentEnd">Offset just past its last byte (the blank separator line is not part of it).</param>
/// <param name="RawEnd">Offset where the next message's "From " line starts (or the end of the file).</param>
/// <param name="QuoteOffsets">Offsets of the '>' to drop from quoted "From " lines, ascending.</param>
/// <param name="WireSize">Its size on the wire once unquoted.</param>
internal sealed record MboxMessage(long FromLineStart, long ContentStart, long ContentEnd, long RawEnd, IReadOnlyList<long> QuoteOffsets, long WireSize)
{
    public string Uid { get; set; } = string.Empty;
}
