using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace Mimamori.Storage.Connection;

/// <summary>
/// Writes many rows into one table inside the caller's transaction: a prepared, reused INSERT on SQLite (the fastest
/// path it has), binary COPY on PostgreSQL. Values are long, double, string or null, matching the schema's types.
/// PostgreSQL allows one COPY at a time per connection, so there the rows are held until <see cref="Complete"/> and
/// several writers on one connection can be filled in any order.
/// </summary>
public sealed class BulkWriter : IDisposable
{
    private readonly DbCommand? insert;
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

        insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i))})";
        for (var i = 0; i < columns.Count; i++)
        {
            var p = insert.CreateParameter();
            p.ParameterName = "$p" + i;
            insert.Parameters.Add(p);
        }

        insert.Prepare();
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
                insert!.Parameters[i].Value = values[i] ?? DBNull.Value;
            }

            insert!.ExecuteNonQuery();
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
}
