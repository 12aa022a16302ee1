using System.Data.Common;
using System.Globalization;
using Dapper;

namespace Mimamori.Storage.Casework;

/// <summary>Reading and writing helpers shared by the casework stores: ISO text dates and application-assigned ids.</summary>
internal static class Rows
{
    public static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly ParseDay(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Stamp(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset Instant(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public static string? Text(System.Data.IDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);

    public static long? Number(System.Data.IDataReader reader, int i) => reader.IsDBNull(i) ? null : Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture);

    public static long Id(System.Data.IDataReader reader, int i) => Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture);

    /// <summary>
    /// Runs <paramref name="write"/> in a transaction with the next id of <paramref name="table"/>. Ids come from the
    /// application; two writers at the same instant can race for one id, so the loser tries again.
    /// </summary>
    public static long Insert(Connection.MimamoriDatabase database, string table, string idColumn, Action<DbConnection, DbTransaction, long> write)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var connection = database.Open();
                using var tx = connection.BeginTransaction();
                var id = connection.ExecuteScalar<long>($"SELECT COALESCE(MAX({idColumn}), 0) + 1 FROM {table}", transaction: tx);
                write(connection, tx, id);
                tx.Commit();
                return id;
            }
            catch (DbException) when (attempt < 3)
            {
            }
        }
    }
}
