namespace PopGate.Imap;

/// <summary>The capability list a server announced (greeting, CAPABILITY response or a [CAPABILITY] code).</summary>
public sealed class ImapCapabilities
{
    private readonly HashSet<string> _names;

    public ImapCapabilities(IEnumerable<string> names) =>
        _names = new HashSet<string>(names.Select(n => n.ToUpperInvariant()), StringComparer.Ordinal);

    public static ImapCapabilities None { get; } = new([]);

    /// <summary>Parses "IMAP4rev1 STARTTLS AUTH=PLAIN ...".</summary>
    public static ImapCapabilities Parse(string text) =>
        new(text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    public IReadOnlyCollection<string> Names => _names;

    public bool IsEmpty => _names.Count == 0;

    public bool Has(string name) => _names.Contains(name.ToUpperInvariant());

    public bool HasAuth(string mechanism) => Has("AUTH=" + mechanism);

    public bool UidPlus => Has("UIDPLUS");

    public bool SaslIr => Has("SASL-IR");

    public bool LoginDisabled => Has("LOGINDISABLED");

    /// <summary>How literals may go on this connection.</summary>
    public LiteralMode Literals =>
        Has("LITERAL+") ? LiteralMode.NonSynchronizing : Has("LITERAL-") ? LiteralMode.NonSynchronizingUpTo4K : LiteralMode.Synchronizing;

    public override string ToString() => string.Join(' ', _names.Order(StringComparer.Ordinal));
}
