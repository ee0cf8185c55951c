using Microsoft.Data.Sqlite;
using PopGate.Fetch;
using PopGate.Testing;

namespace PopGate.Tests.Fetch;

/// <summary>The state store on a real file: what is written survives reopening, per server, and WAL is on.</summary>
public sealed class SeenStoreTests
{
    [Fact]
    public void Capabilities_are_remembered_per_server_and_replaced_when_they_change()
    {
        using var dir = new TempDir("seen-capa");
        var path = Path.Combine(dir.Path, "state.sqlite");
        using (var store = SeenStore.Open(path))
        {
            Assert.Null(store.LoadCapabilities("a:110:u"));
            store.SaveCapabilities("a:110:u", ["PIPELINING", "USER", "SASL PLAIN SCRAM-SHA-256"]);
            store.SaveCapabilities("b:995:u", ["UIDL"]);
        }

        using (var store = SeenStore.Open(path))
        {
            Assert.Equal(["PIPELINING", "USER", "SASL PLAIN SCRAM-SHA-256"], store.LoadCapabilities("a:110:u"));
            store.SaveCapabilities("a:110:u", ["SASL SCRAM-SHA-256"]);
            Assert.Equal(["SASL SCRAM-SHA-256"], store.LoadCapabilities("a:110:u"));
            Assert.Equal(["UIDL"], store.LoadCapabilities("b:995:u"));
        }
    }

    [Fact]
    public void Records_survive_reopening_and_stay_apart_per_server()
    {
        using var dir = new TempDir("seen");
        var path = Path.Combine(dir.Path, "deep", "state.sqlite");
        var hash = new byte[] { 1, 2, 3, 255 };
        using (var store = SeenStore.Open(path))
        {
            store.MarkDelivered("a:110:u", "uid-1");
            store.MarkPending("a:110:u", "uid-2", new PendingAppend(10, 20, hash));
            store.MarkDelivered("b:110:u", "uid-1");
            store.MarkPending("a:110:u", "uid-3", new PendingAppend(1, 2, hash));
            store.MarkDelivered("a:110:u", "uid-3");
        }

        using (var store = SeenStore.Open(path))
        {
            var a = store.Load("a:110:u");
            Assert.Equal(["uid-1", "uid-2", "uid-3"], a.Keys.Order(StringComparer.Ordinal));
            Assert.Equal(SeenState.Delivered, a["uid-1"].State);
            Assert.Equal(SeenState.Pending, a["uid-2"].State);
            Assert.Equal(10, a["uid-2"].Pending!.Offset);
            Assert.Equal(20, a["uid-2"].Pending!.Length);
            Assert.Equal(hash, a["uid-2"].Pending!.Sha256);
            Assert.Null(a["uid-3"].Pending);
            Assert.Equal(SeenState.Delivered, a["uid-3"].State);

            Assert.Equal(2, store.Forget("a:110:u", ["uid-1", "uid-3", "never-there"]));
            Assert.Equal(["uid-2"], store.Load("a:110:u").Keys);
            Assert.Equal(["uid-1"], store.Load("b:110:u").Keys);
        }

        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar() as string);
    }

    [Fact]
    public void Default_path_is_under_xdg_data_home_and_safe_as_a_file_name()
    {
        var path = MessageIdentity.DefaultStatePath("pop.example.com:995:me/../x");
        Assert.EndsWith(Path.Combine("popgate", "fetch", "pop.example.com_995_me_.._x.sqlite"), path, StringComparison.Ordinal);
    }

    [Fact]
    public void Digests_depend_on_server_and_uid()
    {
        var one = MessageIdentity.Digest("h:110:u", "1");
        Assert.Equal(32, one.Length);
        Assert.Equal(one, MessageIdentity.Digest("h:110:u", "1"));
        Assert.NotEqual(one, MessageIdentity.Digest("h:110:v", "1"));
        Assert.NotEqual(one, MessageIdentity.Digest("h:110:u", "2"));
    }
}
