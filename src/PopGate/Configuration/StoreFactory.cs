using PopGate.Stores;
using PopGate.Stores.Maildir;
using PopGate.Stores.Mbox;
using PopGate.Stores.Merge;

namespace PopGate.Configuration;

/// <summary>
/// Builds a mail store from its configuration section: { "Type": "maildir", "Path": "..." } and the like. Each kind
/// of store registers how its section is read, so new kinds need no change here.
/// </summary>
public sealed class StoreFactory
{
    private readonly Dictionary<string, Func<ConfigSection, StoreFactory, IMailStore>> _kinds = new(StringComparer.OrdinalIgnoreCase);

    public StoreFactory()
    {
        Register("maildir", static (section, _) =>
        {
            section.CheckKnown("Type", "Path", "Create");
            return new MaildirStore(section.GetPath("Path") ?? throw section.Error("Path", "is required"), section.GetBool("Create", true));
        });
        Register("mbox", static (section, _) =>
        {
            section.CheckKnown("Type", "Path", "Format");
            return new MboxStore(section.GetPath("Path") ?? throw section.Error("Path", "is required"), section.GetEnum("Format", MboxFormat.Mboxrd));
        });
        Register("merge", static (section, factory) =>
        {
            section.CheckKnown("Type", "Parts", "ServeAvailable");
            var parts = new List<MergePart>();
            foreach (var part in section.Section("Parts").Children())
            {
                part.CheckKnown("Name", "Store");
                var name = part.GetRequiredString("Name");
                if (!Protocol.Pop3Limits.IsValidUid(name) || name.Length > 20 || parts.Any(p => p.Name == name))
                {
                    throw part.Error("Name", "must be a unique word of 1 to 20 visible characters (it prefixes the UIDLs)");
                }

                parts.Add(new MergePart(name, factory.Create(part.Section("Store"))));
            }

            return parts.Count == 0
                ? throw section.Error("Parts", "needs at least one { \"Name\": ..., \"Store\": {...} }")
                : new MergeStore(parts, section.GetBool("ServeAvailable", false));
        });
        this.AddImap();
        this.AddPop3();
        Register("jmap", Stores.Jmap.JmapStoreSection.Read);
    }

    /// <summary>Adds a kind of store (e.g. "imap"); the reader checks its own keys and throws <see cref="ConfigException"/>.</summary>
    public StoreFactory Register(string type, Func<ConfigSection, StoreFactory, IMailStore> read)
    {
        _kinds[type] = read;
        return this;
    }

    public IReadOnlyCollection<string> Types => _kinds.Keys;

    public IMailStore Create(ConfigSection section)
    {
        var type = section.GetString("Type") ?? throw section.Error("Type", $"is required (one of: {string.Join(", ", _kinds.Keys)})");
        if (!_kinds.TryGetValue(type, out var read))
        {
            throw section.Error("Type", $"'{type}' is not a known store type (one of: {string.Join(", ", _kinds.Keys)})");
        }

        return read(section, this);
    }

    /// <summary>Reads a Dovecot-style mail location ("maildir:~/Maildir", "mbox:/var/mail/%u") from a users file.</summary>
    public static IMailStore? FromMailLocation(string location, string? home)
    {
        var colon = location.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return null;
        }

        var path = location[(colon + 1)..];
        // Dovecot appends options after ':' (e.g. ":INBOX=..."); only the folder is used here.
        var option = path.IndexOf(':', StringComparison.Ordinal);
        if (option >= 0)
        {
            path = path[..option];
        }

        if (path.StartsWith('~') && home is not null)
        {
            path = Path.Combine(home, path.TrimStart('~').TrimStart('/'));
        }

        return location[..colon].ToLowerInvariant() switch
        {
            "maildir" => new MaildirStore(path),
            "mbox" => new MboxStore(path),
            _ => null,
        };
    }
}
