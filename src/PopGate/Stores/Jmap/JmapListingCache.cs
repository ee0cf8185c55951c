using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PopGate.IO;

namespace PopGate.Stores.Jmap;

/// <summary>A mailbox's listing as of one Email state, from which the next login only asks what changed.</summary>
internal sealed record CachedListing(string MailboxId, string State, IReadOnlyList<JmapEmail> Emails);

/// <summary>
/// The last listing of each mailbox a store served, with its JMAP Email state, so that a login sends Email/changes
/// instead of listing the whole mailbox again. Kept for the life of the store and, with a state directory, in one
/// file per mailbox, so that a restarted gateway starts from it too. The server is always asked what changed
/// since: a cached listing is never served as it is.
/// </summary>
internal sealed class JmapListingCache
{
    private const int MaxMailboxes = 10_000;
    private const int FormatVersion = 1;

    private readonly ConcurrentDictionary<string, CachedListing> _listings = new(StringComparer.Ordinal);
    private readonly string? _directory;

    public JmapListingCache(string? directory) => _directory = directory;

    /// <summary>The key of one mailbox as one user sees it at one server.</summary>
    public static string Key(Uri sessionUrl, string user, string accountId, string? mailboxName) =>
        string.Join('\n', sessionUrl.AbsoluteUri, user, accountId, mailboxName is null ? "role:inbox" : "name:" + mailboxName);

    /// <summary>The listing kept in memory, else the one in the state directory; null when there is none.</summary>
    public CachedListing? Get(string key)
    {
        if (_listings.TryGetValue(key, out var listing))
        {
            return listing;
        }

        if (_directory is null)
        {
            return null;
        }

        listing = Read(PathOf(key, _directory), key);
        if (listing is not null)
        {
            _listings.TryAdd(key, listing);
        }

        return listing;
    }

    /// <summary>Keeps a listing (and writes its file) unless the same state is kept already.</summary>
    public void Set(string key, CachedListing listing)
    {
        if (_listings.TryGetValue(key, out var known) && known.State == listing.State && known.MailboxId == listing.MailboxId)
        {
            return;
        }

        if (_listings.Count >= MaxMailboxes)
        {
            _listings.Clear();
        }

        _listings[key] = listing;
        if (_directory is not null)
        {
            Write(PathOf(key, _directory), key, listing);
        }
    }

    private static string PathOf(string key, string directory) =>
        Path.Combine(directory, "jmap-listing-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32]);

    private static CachedListing? Read(string path, string key)
    {
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }

            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            // The file repeats its key: a file of another mailbox with the same hash is ignored.
            if (root.GetProperty("version").GetInt32() != FormatVersion || root.GetProperty("key").GetString() != key)
            {
                return null;
            }

            var emails = new List<JmapEmail>(root.GetProperty("emails").GetArrayLength());
            foreach (var e in root.GetProperty("emails").EnumerateArray())
            {
                emails.Add(new JmapEmail(Text(e[0]), Text(e[1]), e[2].GetInt64(), new DateTimeOffset(e[3].GetInt64(), TimeSpan.Zero)));
            }

            return new CachedListing(Text(root.GetProperty("mailboxId")), Text(root.GetProperty("state")), emails);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException
            or KeyNotFoundException or IndexOutOfRangeException or FormatException or ArgumentOutOfRangeException)
        {
            // A damaged or unreadable file only costs a full listing.
            return null;
        }
    }

    private static string Text(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new FormatException("not a string");

    private static void Write(string path, string key, CachedListing listing)
    {
        try
        {
            StateFile.Replace(path, file =>
            {
                using var w = new Utf8JsonWriter(file);
                w.WriteStartObject();
                w.WriteNumber("version"u8, FormatVersion);
                w.WriteString("key"u8, key);
                w.WriteString("mailboxId"u8, listing.MailboxId);
                w.WriteString("state"u8, listing.State);
                w.WriteStartArray("emails"u8);
                foreach (var email in listing.Emails)
                {
                    w.WriteStartArray();
                    w.WriteStringValue(email.Id);
                    w.WriteStringValue(email.BlobId);
                    w.WriteNumberValue(email.Size);
                    w.WriteNumberValue(email.ReceivedAt.UtcTicks);
                    w.WriteEndArray();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The memory copy still serves this process; the next start lists the mailbox in full once.
        }
    }
}
