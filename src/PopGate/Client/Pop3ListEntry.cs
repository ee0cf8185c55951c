namespace PopGate.Client;

/// <summary>One scan listing of LIST: a message number and its size in octets on the wire (CRLF line ends).</summary>
public readonly record struct Pop3ListEntry(int Number, long Size);
