using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Mimamori.Storage.Connection;

/// <summary>The error SQLite reports on a connection's handle, as the exception the rest of the code catches.</summary>
internal static class SqliteFailure
{
    public static SqliteException Of(sqlite3 handle, string what, int rc) =>
        new($"SQLite {what} failed: {raw.sqlite3_errmsg(handle).utf8_to_string()}", rc);
}
