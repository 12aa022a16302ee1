using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Mimamori.Storage.Encryption;
using Mimamori.Storage.Schema;
using Npgsql;

namespace Mimamori.Storage.Connection;

/// <summary>
/// Where Mimamori keeps its data. The <c>--db</c> value is either a SQLite file path or a PostgreSQL connection
/// string (recognised by <c>Host=</c>); everything above this class is the same for both.
/// </summary>
public sealed class MimamoriDatabase
{
    private readonly string connectionString;

    private MimamoriDatabase(Dialect dialect, string connectionString, string display)
    {
        Dialect = dialect;
        this.connectionString = connectionString;
        Display = display;
    }

    /// <summary>Which database this is.</summary>
    public Dialect Dialect { get; }

    /// <summary>The connection string, secrets included: for this assembly's own tools (backup), never for messages.</summary>
    internal string ConnectionString => connectionString;

    /// <summary>A description without secrets, for logs and messages.</summary>
    public string Display { get; }

    /// <summary>Encrypts and decrypts the sensitive free-text columns; <see cref="ColumnCipher.None"/> until a key is configured.</summary>
    public ColumnCipher Cipher { get; private init; } = ColumnCipher.None;

    /// <summary>The same database with the given data key ring.</summary>
    public MimamoriDatabase WithCipher(ColumnCipher cipher)
    {
        ArgumentNullException.ThrowIfNull(cipher);
        return new MimamoriDatabase(Dialect, connectionString, Display) { Cipher = cipher };
    }

    /// <summary>Interprets a <c>--db</c> value.</summary>
    public static MimamoriDatabase FromSetting(string setting)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(setting);
        if (setting.Contains("Host=", StringComparison.OrdinalIgnoreCase))
        {
            var builder = new NpgsqlConnectionStringBuilder(setting);
            return new MimamoriDatabase(Dialect.Postgres, setting, $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}");
        }

        var full = Path.GetFullPath(setting);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var sqlite = new SqliteConnectionStringBuilder { DataSource = full, Pooling = true }.ToString();
        return new MimamoriDatabase(Dialect.Sqlite, sqlite, $"SQLite {full}");
    }

    // WAL lets the web app read while a pipeline run writes; NORMAL is durable at each commit in WAL mode.
    private const string SqlitePragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;";

    /// <summary>Opens a connection, set up for this dialect.</summary>
    public DbConnection Open()
    {
        DbConnection connection = Dialect == Dialect.Postgres ? new NpgsqlConnection(connectionString) : new SqliteConnection(connectionString);
        connection.Open();
        if (Dialect == Dialect.Sqlite)
        {
            connection.Execute(SqlitePragmas);
        }

        return connection;
    }

    /// <summary>
    /// Opens a connection for a run that reads or writes millions of rows (loading records for linking, saving a link,
    /// importing). On SQLite it is not pooled and has a page cache of 512 MB and memory-mapped reads: with the default
    /// 2 MB cache, every insert into an index larger than the cache re-reads its pages from the file, and at a city of
    /// a million residents that is most of a link's save. Unpooled, the cache goes when the connection closes.
    /// </summary>
    public DbConnection OpenForBulk()
    {
        if (Dialect == Dialect.Postgres)
        {
            return Open();
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        connection.Open();
        connection.Execute(SqlitePragmas + " PRAGMA cache_size=-524288; PRAGMA mmap_size=17179869184;");
        return connection;
    }

    /// <summary>Applies the migrations this database lacks; returns the versions applied.</summary>
    public IReadOnlyList<int> Migrate()
    {
        using var connection = Open();
        connection.Execute("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
        var applied = connection.Query<long>("SELECT version FROM schema_version").ToHashSet();
        var done = new List<int>();
        foreach (var (version, name, sql) in Migrations.All)
        {
            if (applied.Contains(version))
            {
                continue;
            }

            using var tx = connection.BeginTransaction();
            connection.Execute(sql, transaction: tx);
            connection.Execute(
                "INSERT INTO schema_version (version, name, applied_at) VALUES (@version, @name, @at)",
                new { version = (long)version, name, at = DateTimeOffset.UtcNow.ToString("O") },
                tx);
            tx.Commit();
            done.Add(version);
        }

        return done;
    }

    /// <summary>The schema versions applied to this database (empty for a new one).</summary>
    public IReadOnlySet<int> AppliedVersions()
    {
        using var connection = Open();
        try
        {
            return connection.Query<long>("SELECT version FROM schema_version").Select(v => (int)v).ToHashSet();
        }
        catch (DbException)
        {
            return new HashSet<int>();
        }
    }

    /// <summary>The highest schema version applied, or 0 for an empty database.</summary>
    public int SchemaVersion()
    {
        using var connection = Open();
        try
        {
            return (int)connection.ExecuteScalar<long>("SELECT COALESCE(MAX(version), 0) FROM schema_version");
        }
        catch (DbException)
        {
            return 0;
        }
    }
}
