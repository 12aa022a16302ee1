using Mimamori.Storage.Connection;
using Npgsql;

namespace Mimamori.EndToEnd.Tests;

/// <summary>
/// A fresh empty store of each kind: a SQLite file in the test's folder, or a new PostgreSQL database in the cluster
/// that ./test.sh starts (its connection string in MIMAMORI_TEST_PG).
/// </summary>
internal static class TestDatabases
{
    public static MimamoriDatabase Create(string kind, string folder, string name)
    {
        if (kind == "sqlite")
        {
            Directory.CreateDirectory(folder);
            return MimamoriDatabase.FromSetting(Path.Combine(folder, name + ".db"));
        }

        var server = Environment.GetEnvironmentVariable("MIMAMORI_TEST_PG")
            ?? throw new InvalidOperationException("MIMAMORI_TEST_PG is not set: run the tests with ./test.sh, which starts a throwaway PostgreSQL cluster.");
        var database = $"mimamori_test_{Guid.NewGuid():N}";
        using (var admin = new NpgsqlConnection(server))
        {
            admin.Open();
            using var create = admin.CreateCommand();
            create.CommandText = $"CREATE DATABASE {database}";
            create.ExecuteNonQuery();
        }

        return MimamoriDatabase.FromSetting(new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString);
    }
}
