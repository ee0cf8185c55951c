using System.Globalization;

namespace PopGate.Client;

/// <summary>What the server announced in its CAPA reply (RFC 2449), or nothing when it has no CAPA.</summary>
public sealed class Pop3Capabilities
{
    private readonly Dictionary<string, string> _byName = new(StringComparer.OrdinalIgnoreCase);

    public Pop3Capabilities(IEnumerable<string> lines, bool known = true)
    {
        Lines = lines.ToList();
        Known = known;
        foreach (var line in Lines)
        {
            var trimmed = line.Trim();
            if (trimmed.Length == 0)
            {
                continue;
            }

            var space = trimmed.IndexOf(' ');
            var name = space < 0 ? trimmed : trimmed[..space];
            var arguments = space < 0 ? string.Empty : trimmed[(space + 1)..].Trim();
            _byName.TryAdd(name, arguments);
        }

        SaslMechanisms = Arguments("SASL") is { } sasl
            ? sasl.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(m => m.ToUpperInvariant()).Distinct().ToList()
            : [];
    }

    /// <summary>The capabilities of a server that refused CAPA or was not asked yet.</summary>
    public static Pop3Capabilities None { get; } = new([], known: false);

    /// <summary>False when CAPA failed or was never sent: the server may still support more than it says.</summary>
    public bool Known { get; }

    /// <summary>The capability lines as the server sent them.</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>The SASL mechanisms offered, upper case, in the server's order.</summary>
    public IReadOnlyList<string> SaslMechanisms { get; }

    public bool Pipelining => Has("PIPELINING");
    public bool Stls => Has("STLS");
    public bool Top => Has("TOP");
    public bool Uidl => Has("UIDL");
    public bool User => Has("USER");
    public bool Utf8 => Has("UTF8");
    public bool ResponseCodes => Has("RESP-CODES");

    /// <summary>The IMPLEMENTATION argument, when given.</summary>
    public string? Implementation => Arguments("IMPLEMENTATION");

    /// <summary>LOGIN-DELAY in seconds, when announced.</summary>
    public TimeSpan? LoginDelay =>
        Arguments("LOGIN-DELAY") is { } text
        && int.TryParse(text.Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null;

    /// <summary>EXPIRE's argument (days, or NEVER), when announced.</summary>
    public string? Expire => Arguments("EXPIRE");

    public bool Has(string name) => _byName.ContainsKey(name);

    /// <summary>The text after a capability's name ("" when it has none), or null when it is absent.</summary>
    public string? Arguments(string name) => _byName.TryGetValue(name, out var value) ? value : null;

    public bool HasSasl(string mechanism) => SaslMechanisms.Contains(mechanism, StringComparer.OrdinalIgnoreCase);
}
