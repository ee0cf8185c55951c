using Microsoft.Data.Sqlite;

namespace PopGate.Fetch;

/// <summary>
/// The fetch state of one account: an SQLite file in WAL mode holding, per server identity (host:port:user) and
/// UIDL, the messages delivered but not yet known to be deleted, and mbox appends in progress; and per server
/// identity the capabilities it announced last time.
/// </summary>
/// <remarks>
/// Calls are synchronous: Microsoft.Data.Sqlite has no real asynchronous I/O, and each write is one small
/// transaction. synchronous=NORMAL in WAL mode survives the process being killed at any point; after a power loss
/// the last records may be missing, which costs a second delivery check, never a lost message, because a
/// message is deleted on the server only after its record was written. One instance per run, used by one thread at
/// a time.
/// </remarks>
public sealed class SeenStore : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _upsert;
    private int _disposed;

    private SeenStore(SqliteConnection connection)
    {
        _connection = connection;
        _upsert = connection.CreateCommand();
        _upsert.CommandText = """
            INSERT INTO seen(server, uid, state, pending_offset, pending_length, pending_hash, updated)
            VALUES ($server, $uid, $state, $offset, $length, $hash, unixepoch())
            ON CONFLICT(server, uid) DO UPDATE SET state = excluded.state, pending_offset = excluded.pending_offset,
                pending_length = excluded.pending_length, pending_hash = excluded.pending_hash, updated = excluded.updated
            """;
        foreach (var name in new[] { "$server", "$uid", "$state", "$offset", "$length", "$hash" })
        {
            _upsert.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        _upsert.Prepare();
    }

    public string Path => _connection.DataSource;

    /// <summary>Opens (creating it and its folder when needed) the store at <paramref name="path"/>.</summary>
    public static SeenStore Open(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;");
            Execute(connection, """
                CREATE TABLE IF NOT EXISTS seen(
                    server TEXT NOT NULL,
                    uid TEXT NOT NULL,
                    state INTEGER NOT NULL,
                    pending_offset INTEGER,
                    pending_length INTEGER,
                    pending_hash BLOB,
                    updated INTEGER NOT NULL,
                    PRIMARY KEY(server, uid)) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS capabilities(
                    server TEXT NOT NULL PRIMARY KEY,
                    lines TEXT NOT NULL,
                    updated INTEGER NOT NULL) WITHOUT ROWID;
                """);
            return new SeenStore(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Everything remembered for one server identity.</summary>
    public Dictionary<string, SeenEntry> Load(string server)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT uid, state, pending_offset, pending_length, pending_hash FROM seen WHERE server = $server";
        command.Parameters.AddWithValue("$server", server);
        using var reader = command.ExecuteReader();
        var entries = new Dictionary<string, SeenEntry>(StringComparer.Ordinal);
        while (reader.Read())
        {
            var uid = reader.GetString(0);
            var state = (SeenState)reader.GetInt32(1);
            var pending = reader.IsDBNull(2) ? null : new PendingAppend(reader.GetInt64(2), reader.GetInt64(3), (byte[])reader.GetValue(4));
            entries[uid] = new SeenEntry(uid, state, pending);
        }

        return entries;
    }

    public void MarkPending(string server, string uid, PendingAppend append) => Upsert(server, uid, SeenState.Pending, append);

    public void MarkDelivered(string server, string uid) => Upsert(server, uid, SeenState.Delivered, null);

    /// <summary>Records several deliveries in one transaction (one commit instead of one each).</summary>
    public void MarkDelivered(string server, IEnumerable<string> uids)
    {
        using var transaction = _connection.BeginTransaction();
        _upsert.Transaction = transaction;
        try
        {
            foreach (var uid in uids)
            {
                Upsert(server, uid, SeenState.Delivered, null);
            }

            transaction.Commit();
        }
        finally
        {
            _upsert.Transaction = null;
        }
    }

    /// <summary>The CAPA lines the server answered before login last time, or null when never seen.</summary>
    public IReadOnlyList<string>? LoadCapabilities(string server)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT lines FROM capabilities WHERE server = $server";
        command.Parameters.AddWithValue("$server", server);
        return command.ExecuteScalar() is string lines ? lines.Split('\n', StringSplitOptions.RemoveEmptyEntries) : null;
    }

    /// <summary>Remembers the CAPA lines of a server, so that a later run can log in without waiting for them.</summary>
    public void SaveCapabilities(string server, IReadOnlyList<string> lines)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = """
            INSERT INTO capabilities(server, lines, updated) VALUES ($server, $lines, unixepoch())
            ON CONFLICT(server) DO UPDATE SET lines = excluded.lines, updated = excluded.updated
            """;
        command.Parameters.AddWithValue("$server", server);
        command.Parameters.AddWithValue("$lines", string.Join('\n', lines));
        command.ExecuteNonQuery();
    }

    /// <summary>Drops the records of messages no longer on the server, in one transaction; returns how many.</summary>
    public int Forget(string server, IEnumerable<string> uids)
    {
        using var transaction = _connection.BeginTransaction();
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "DELETE FROM seen WHERE server = $server AND uid = $uid";
        command.Parameters.AddWithValue("$server", server);
        var uid = command.Parameters.Add(new SqliteParameter { ParameterName = "$uid" });
        var removed = 0;
        foreach (var value in uids)
        {
            uid.Value = value;
            removed += command.ExecuteNonQuery();
        }

        transaction.Commit();
        return removed;
    }

    private void Upsert(string server, string uid, SeenState state, PendingAppend? append)
    {
        _upsert.Parameters["$server"].Value = server;
        _upsert.Parameters["$uid"].Value = uid;
        _upsert.Parameters["$state"].Value = (int)state;
        _upsert.Parameters["$offset"].Value = (object?)append?.Offset ?? DBNull.Value;
        _upsert.Parameters["$length"].Value = (object?)append?.Length ?? DBNull.Value;
        _upsert.Parameters["$hash"].Value = (object?)append?.Sha256 ?? DBNull.Value;
        _upsert.ExecuteNonQuery();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _upsert.Dispose();
            _connection.Dispose();
        }
    }
}
