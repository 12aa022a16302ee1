using System.Collections.Concurrent;
using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Mimamori.Storage.Connection;

/// <summary>
/// Reads the rows of one query for a bulk load, keeping each distinct text once (a city's millions of rows hold far
/// fewer distinct names, readings, sources and addresses). On SQLite the statement is stepped on the connection's
/// handle and a text already seen is found from its bytes without making a new string: the ADO.NET reader allocates a
/// string for every column of every row, which is most of the cost of reading a large table. On PostgreSQL it is the
/// ordinary data reader.
/// </summary>
public sealed class TextRows : IDisposable
{
    private readonly Dictionary<string, string> pool = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> lookup;

    // Texts shared with readers on other threads; this reader's own pool answers first, without a lock.
    private readonly TextPool? shared;
    private readonly sqlite3? handle;
    private readonly sqlite3_stmt? statement;
    private readonly DbCommand? command;
    private readonly DbDataReader? reader;
    private char[] buffer = new char[256];

    public TextRows(DbConnection connection, string sql)
        : this(connection, sql, null)
    {
    }

    /// <summary>Reads with the texts of other readers (earlier ones, or ones on other threads), so that equal texts of all are one string.</summary>
    public TextRows(DbConnection connection, string sql, TextPool? pool)
    {
        ArgumentNullException.ThrowIfNull(connection);
        shared = pool;
        lookup = this.pool.GetAlternateLookup<ReadOnlySpan<char>>();
        if (connection is SqliteConnection sqlite)
        {
            handle = sqlite.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
            if (raw.sqlite3_prepare_v2(handle, sql, out statement) != raw.SQLITE_OK)
            {
                throw SqliteFailure.Of(handle, "prepare", raw.sqlite3_errcode(handle));
            }

            return;
        }

        command = connection.CreateCommand();
        command.CommandText = sql;
        reader = command.ExecuteReader();
    }

    /// <summary>Moves to the next row; false after the last.</summary>
    public bool Read()
    {
        if (reader is not null)
        {
            return reader.Read();
        }

        var rc = raw.sqlite3_step(statement);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        if (rc == raw.SQLITE_DONE)
        {
            return false;
        }

        throw SqliteFailure.Of(handle!, "read", rc);
    }

    /// <summary>An integer column.</summary>
    public long Int64(int column) => reader is not null ? reader.GetInt64(column) : raw.sqlite3_column_int64(statement, column);

    /// <summary>An integer column, null when NULL.</summary>
    public long? NullableInt64(int column)
    {
        if (reader is not null)
        {
            return reader.IsDBNull(column) ? null : reader.GetInt64(column);
        }

        return raw.sqlite3_column_type(statement, column) == raw.SQLITE_NULL ? null : raw.sqlite3_column_int64(statement, column);
    }

    /// <summary>A real column, null when NULL.</summary>
    public double? Double(int column)
    {
        if (reader is not null)
        {
            return reader.IsDBNull(column) ? null : reader.GetDouble(column);
        }

        return raw.sqlite3_column_type(statement, column) == raw.SQLITE_NULL ? null : raw.sqlite3_column_double(statement, column);
    }

    /// <summary>A text column, null when NULL; equal texts come back as the same string.</summary>
    public string? Text(int column) => Text(column, int.MaxValue);

    /// <summary>
    /// A text column, null when NULL; equal texts of at most <paramref name="shareUpTo"/> characters come back as the
    /// same string. A longer text (a note, a free answer) is seldom repeated, and keeping it in the pool would only
    /// hold it twice.
    /// </summary>
    public string? Text(int column, int shareUpTo)
    {
        if (reader is not null)
        {
            if (reader.IsDBNull(column))
            {
                return null;
            }

            var text = reader.GetString(column);
            return text.Length <= shareUpTo ? Pooled(text) : text;
        }

        if (raw.sqlite3_column_type(statement, column) == raw.SQLITE_NULL)
        {
            return null;
        }

        var bytes = raw.sqlite3_column_blob(statement, column);
        var needed = Encoding.UTF8.GetMaxCharCount(bytes.Length);
        if (buffer.Length < needed)
        {
            buffer = new char[Math.Max(needed, buffer.Length * 2)];
        }

        var chars = buffer.AsSpan(0, Encoding.UTF8.GetChars(bytes, buffer));
        if (chars.Length > shareUpTo)
        {
            return new string(chars);
        }

        if (lookup.TryGetValue(chars, out var kept))
        {
            return kept;
        }

        return Pooled(shared?.Find(chars) ?? new string(chars));
    }

    /// <summary>Releases the statement and forgets this reader's texts (the strings handed out, and a shared pool, stay valid).</summary>
    public void Dispose()
    {
        statement?.Dispose();
        reader?.Dispose();
        command?.Dispose();
        pool.Clear();
    }

    private string Pooled(string text)
    {
        if (pool.TryGetValue(text, out var kept))
        {
            return kept;
        }

        text = shared?.Pooled(text) ?? text;
        pool[text] = text;
        return text;
    }
}

/// <summary>
/// Distinct texts kept once across readers: one after another, or side by side on several threads (a text already kept
/// is found without a lock; each reader asks its own texts first).
/// </summary>
public sealed class TextPool
{
    private readonly ConcurrentDictionary<string, string> pool = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> lookup;

    public TextPool() => lookup = pool.GetAlternateLookup<ReadOnlySpan<char>>();

    internal string? Find(ReadOnlySpan<char> chars) => lookup.TryGetValue(chars, out var kept) ? kept : null;

    internal string Pooled(string text) => pool.GetOrAdd(text, text);
}
