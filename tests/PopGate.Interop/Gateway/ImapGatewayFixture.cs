using PopGate.Interop.Imap;
using PopGate.Testing;

namespace PopGate.Interop.Gateway;

/// <summary>
/// A real IMAP server with the corpus, and one `popgate serve` process in front of it whose users each see a
/// folder of their own (mapped credentials), plus pass-through for the IMAP user itself.
/// </summary>
public abstract class ImapGatewayFixture<TPeer> : IAsyncLifetime
    where TPeer : ImapPeer, new()
{
    public const string PopPassword = "pop-pass";

    public TPeer Peer { get; } = new();
    public GatewayProcess Gateway { get; private set; } = null!;
    public string DeleteFolder { get; private set; } = string.Empty;
    public IReadOnlyList<uint> DeleteUids { get; private set; } = [];
    public string DropFolder { get; private set; } = string.Empty;
    public IReadOnlyList<uint> DropUids { get; private set; } = [];
    public string MergeFolder { get; private set; } = string.Empty;
    public string MergeMaildir { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        await Peer.InitializeAsync();
        (DeleteFolder, DeleteUids) = await Peer.NewFolderAsync("Subject: 1\n\none\n", "Subject: 2\n\ntwo\n", "Subject: 3\n\nthree\n", "Subject: 4\n\nfour\n", "Subject: 5\n\nfive\n");
        (DropFolder, DropUids) = await Peer.NewFolderAsync("Subject: d1\n\none\n", "Subject: d2\n\ntwo\n", "Subject: d3\n\nthree\n");
        (MergeFolder, _) = await Peer.NewFolderAsync("Subject: m1\n\nimap one\n", "Subject: m2\n\nimap two\n");
        Gateway = await GatewayProcess.StartAsync((folder, port) =>
        {
            MergeMaildir = Path.Combine(folder, "merge-maildir");
            foreach (var sub in new[] { "tmp", "new", "cur" })
            {
                Directory.CreateDirectory(Path.Combine(MergeMaildir, sub));
            }

            File.WriteAllText(Path.Combine(MergeMaildir, "new", "1700000001.local1"), "Subject: local one\n\nlocal\n");
            File.WriteAllText(Path.Combine(MergeMaildir, "new", "1700000002.local2"), "Subject: local two\n\nlocal\n");
            var users = GatewayProcess.WriteUsers(folder, ("reader", PopPassword), ("deleter", PopPassword), ("dropper", PopPassword), ("merger", PopPassword), ("down", PopPassword));
            return new Dictionary<string, object>
            {
                ["Listen"] = new[] { $"127.0.0.1:{port}" },
                ["UsersFile"] = users,
                ["Auth"] = new { FailureDelaySeconds = 0.01, MaxFailureDelaySeconds = 0.05 },
                ["Users"] = new Dictionary<string, object>
                {
                    ["reader"] = new { Store = Imap(Peer.CorpusFolder) },
                    ["deleter"] = new { Store = Imap(DeleteFolder) },
                    ["dropper"] = new { Store = Imap(DropFolder) },
                    ["merger"] = new
                    {
                        Store = new
                        {
                            Type = "merge",
                            Parts = new object[]
                            {
                                new { Name = "imap", Store = Imap(MergeFolder) },
                                new { Name = "local", Store = new { Type = "maildir", Path = MergeMaildir } },
                            },
                        },
                    },
                    ["down"] = new { Store = new { Type = "imap", Host = "127.0.0.1", Port = FreePort.Next(), Security = "none", User = "x", Password = "y", ConnectTimeoutSeconds = 5 } },
                },
                ["PassThrough"] = new { Default = new { Type = "imap", Host = "127.0.0.1", Port = Peer.ImapPort, Security = "none", Folders = new[] { Peer.CorpusFolder }, ReadOnly = true } },
            };
        });
    }

    private Dictionary<string, object> Imap(string folder) => new()
    {
        ["Type"] = "imap",
        ["Host"] = "127.0.0.1",
        ["Port"] = Peer.ImapPort,
        ["Security"] = "none",
        ["User"] = Peer.User,
        ["Password"] = Peer.Password,
        ["Folders"] = new[] { folder },
    };

    public async Task DisposeAsync()
    {
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        await Peer.DisposeAsync();
    }
}

public sealed class CyrusGatewayFixture : ImapGatewayFixture<CyrusPeer>;

public sealed class DovecotImapGatewayFixture : ImapGatewayFixture<DovecotImapPeer>;
