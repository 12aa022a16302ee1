using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace Mimamori.Storage.Connection;

/// <summary>
/// Writes many rows into one table inside the caller's transaction: a prepared, reused INSERT on SQLite (the fastest
/// path it has), binary COPY on PostgreSQL. Values are long, double, string or null, matching the schema's types.
/// </summary>
public sealed class BulkWriter : IDisposable
{
    private readonly DbCommand? insert;
    private readonly NpgsqlBinaryImporter? copy;
    private readonly int columnCount;

    public BulkWriter(DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<string> columns)
    {
        columnCount = columns.Count;
        if (connection is NpgsqlConnection pg)
        {
            copy = pg.BeginBinaryImport($"COPY {table} ({string.Join(", ", columns)}) FROM STDIN (FORMAT BINARY)");
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

        if (copy is not null)
        {
            copy.StartRow();
            foreach (var v in values)
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

    /// <summary>Finishes the COPY (PostgreSQL); on SQLite the rows are already in the transaction.</summary>
    public void Complete() => copy?.Complete();

    public void Dispose()
    {
        copy?.Dispose();
        insert?.Dispose();
    }
}
