using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using SQLitePCL;

namespace Mimamori.Storage.Connection;

/// <summary>
/// Writes many rows into one table inside the caller's transaction: one prepared INSERT on SQLite, bound and stepped
/// directly on the connection's handle (the ADO.NET command costs several microseconds a row, more than SQLite's own
/// work, and a link saves tens of millions of rows), binary COPY on PostgreSQL. Values are long, double, string or null, matching the schema's types.
/// PostgreSQL allows one COPY at a time per connection, so there the rows are held until <see cref="Complete"/> and
/// several writers on one connection can be filled in any order.
/// </summary>
public sealed class BulkWriter : IDisposable
{
    private readonly sqlite3? handle;
    private readonly sqlite3_stmt? insert;
    private readonly NpgsqlConnection? postgres;
    private readonly string? copyCommand;
    private readonly List<object?[]>? pending;
    private readonly int columnCount;

    public BulkWriter(DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<string> columns)
    {
        columnCount = columns.Count;
        if (connection is NpgsqlConnection pg)
        {
            postgres = pg;
            copyCommand = $"COPY {table} ({string.Join(", ", columns)}) FROM STDIN (FORMAT BINARY)";
            pending = [];
            return;
        }

        // The statement runs inside the caller's transaction because that transaction is the connection's.
        ArgumentNullException.ThrowIfNull(transaction);
        handle = ((SqliteConnection)connection).Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
        var sql = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => "?" + (i + 1).ToString(CultureInfo.InvariantCulture)))})";
        Check(raw.sqlite3_prepare_v2(handle, sql, out insert), "prepare");
    }

    /// <summary>Rows written so far.</summary>
    public long Rows { get; private set; }

    /// <summary>Writes one row; values in the column order given at construction.</summary>
    public void Write(params object?[] values)
    {
        if (values.Length != columnCount)
        {
            throw new ArgumentException($"Expected {columnCount} values, got {values.Length}.", nameof(values));
        }

        if (pending is not null)
        {
            pending.Add((object?[])values.Clone());
        }
        else
        {
            for (var i = 0; i < values.Length; i++)
            {
                var rc = values[i] switch
                {
                    null => raw.sqlite3_bind_null(insert, i + 1),
                    long l => raw.sqlite3_bind_int64(insert, i + 1, l),
                    int n => raw.sqlite3_bind_int64(insert, i + 1, n),
                    double d => raw.sqlite3_bind_double(insert, i + 1, d),
                    string text => raw.sqlite3_bind_text(insert, i + 1, text),
                    var v => raw.sqlite3_bind_text(insert, i + 1, Convert.ToString(v, CultureInfo.InvariantCulture)),
                };
                Check(rc, "bind");
            }

            var step = raw.sqlite3_step(insert);
            raw.sqlite3_reset(insert);
            if (step != raw.SQLITE_DONE)
            {
                Check(step, "insert");
            }
        }

        Rows++;
    }

    /// <summary>Sends the held rows by binary COPY (PostgreSQL); on SQLite the rows are already in the transaction.</summary>
    public void Complete()
    {
        if (pending is null || postgres is null || pending.Count == 0)
        {
            return;
        }

        using (var copy = postgres.BeginBinaryImport(copyCommand!))
        {
            foreach (var row in pending)
            {
                copy.StartRow();
                foreach (var v in row)
                {
                    switch (v)
                    {
                        case null:
                            copy.WriteNull();
                            break;
                        case long l:
                            copy.Write(l, NpgsqlDbType.Bigint);
                            break;
                        case int n:
                            copy.Write((long)n, NpgsqlDbType.Bigint);
                            break;
                        case double d:
                            copy.Write(d, NpgsqlDbType.Double);
                            break;
                        default:
                            copy.Write(Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)!, NpgsqlDbType.Text);
                            break;
                    }
                }
            }

            copy.Complete();
        }

        pending.Clear();
    }

    public void Dispose() => insert?.Dispose();

    private void Check(int rc, string what)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw SqliteFailure.Of(handle!, what, rc);
        }
    }
}
