using PopGate.Imap;
using PopGate.Stores;
using PopGate.Stores.Imap;
using PopGate.Testing;

namespace PopGate.Interop.Imap;

/// <summary>A corpus file the server took, and the UID it got.</summary>
public sealed record StoredMessage(string File, byte[] Sent, uint Uid);

/// <summary>
/// A real IMAP server started once per test class, with the corpus appended to its "Corpus" folder. Tests that
/// change mail work in folders of their own.
/// </summary>
public abstract class ImapPeer : IAsyncLifetime
{
    private int _folders;

    /// <summary>Where the user's own folders go: Cyrus (altnamespace off) keeps them below INBOX.</summary>
    public virtual string FolderPrefix => string.Empty;

    public string CorpusFolder => FolderPrefix + "Corpus";

    public abstract string User { get; }
    public abstract string Password { get; }
    public abstract int ImapPort { get; }
    public abstract int ImapsPort { get; }
    public abstract string CertificateSha256 { get; }

    /// <summary>The corpus messages the server accepted, in UID order.</summary>
    public IReadOnlyList<StoredMessage> Corpus { get; private set; } = [];

    /// <summary>Corpus files the server refused, with its reason.</summary>
    public IReadOnlyList<(string File, string Error)> Refused { get; private set; } = [];

    protected abstract Task StartServerAsync();

    protected abstract Task StopServerAsync();

    public async Task InitializeAsync()
    {
        await StartServerAsync();
        await using var client = await ClientAsync();
        await client.RunOneAsync(new BatchItem(new ImapCommand("CREATE").AString(CorpusFolder)), CancellationToken.None);
        var files = TestCorpus.NonEmptyMessageFiles();
        var sent = files.Select(f => LineEnds.ToCrlf(File.ReadAllBytes(f))).ToList();
        var results = await client.AppendAsync(CorpusFolder, sent.Select(s => (ReadOnlyMemory<byte>)s).ToList(), null, false, CancellationToken.None);
        var stored = new List<StoredMessage>();
        var refused = new List<(string, string)>();
        for (var i = 0; i < files.Count; i++)
        {
            if (results[i].Accepted)
            {
                stored.Add(new StoredMessage(files[i], sent[i], results[i].Uid ?? throw new InvalidOperationException("no APPENDUID")));
            }
            else
            {
                refused.Add((files[i], results[i].Error ?? string.Empty));
            }
        }

        Corpus = stored.OrderBy(s => s.Uid).ToList();
        Refused = refused;
    }

    public Task DisposeAsync() => StopServerAsync();

    public ImapConnectionOptions Connection(ImapSecurity security = ImapSecurity.None) => new()
    {
        Host = "127.0.0.1",
        Port = security == ImapSecurity.Ssl ? ImapsPort : ImapPort,
        Security = security,
        Fingerprint = security == ImapSecurity.None ? null : CertificateSha256,
        Limits = new ImapLimits { Timeout = TimeSpan.FromSeconds(20) },
    };

    /// <summary>A client logged in as the user, for setting up and checking what the store did.</summary>
    public async Task<ImapClient> ClientAsync()
    {
        var client = await ImapClient.ConnectAsync(Connection(), CancellationToken.None);
        await client.LoginAsync(User, Password, ImapAuthMechanism.Auto, CancellationToken.None);
        return client;
    }

    public ImapStoreOptions StoreOptions(params string[] folders) => new()
    {
        Host = "127.0.0.1",
        Port = ImapPort,
        Security = ImapSecurity.None,
        User = User,
        Password = Password,
        Folders = folders.Length == 0 ? [CorpusFolder] : folders,
        Timeout = TimeSpan.FromSeconds(20),
    };

    public static MaildropRequest Request(string user = "pop3user", string? password = null) => new(user, password);

    /// <summary>A new folder holding these messages (CRLF line ends); returns its name and the UIDs in order.</summary>
    public async Task<(string Folder, IReadOnlyList<uint> Uids)> NewFolderAsync(params string[] messages)
    {
        var folder = FolderPrefix + $"T{Interlocked.Increment(ref _folders)}x{Guid.NewGuid():N}"[..12];
        await using var client = await ClientAsync();
        await client.RunOneAsync(new BatchItem(new ImapCommand("CREATE").AString(folder)), CancellationToken.None);
        var results = await client.AppendAsync(
            folder,
            messages.Select(m => (ReadOnlyMemory<byte>)LineEnds.ToCrlf(System.Text.Encoding.UTF8.GetBytes(m))).ToList(),
            null,
            false,
            CancellationToken.None);
        Assert.All(results, r => Assert.True(r.Accepted, r.Error));
        return (folder, results.Select(r => r.Uid!.Value).ToList());
    }

    /// <summary>UID and flags of every message in a folder, as another client sees them.</summary>
    public async Task<IReadOnlyList<FetchData>> StateAsync(string folder)
    {
        await using var client = await ClientAsync();
        await client.SelectAsync(folder, readOnly: true, CancellationToken.None);
        var all = await client.FetchAsync("1:*", "(UID FLAGS)", null, CancellationToken.None);
        return all.OrderBy(f => f.Uid).ToList();
    }
}
