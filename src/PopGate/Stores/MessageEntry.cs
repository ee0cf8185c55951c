namespace PopGate.Stores;

/// <summary>One message of a maildrop.</summary>
/// <param name="Uid">The UIDL: 1 to 70 characters 0x21-0x7E, stable across sessions.</param>
/// <param name="Size">Octets on the wire: CRLF line ends, final CRLF included, before dot-stuffing.</param>
public sealed record MessageEntry(string Uid, long Size);
