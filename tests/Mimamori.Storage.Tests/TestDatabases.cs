using Mimamori.Storage.Connection;
using Npgsql;

namespace Mimamori.Storage.Tests;

/// <summary>
/// A fresh empty database of each kind per test: a temporary SQLite file, or a new PostgreSQL database in the cluster
/// that ./test.sh starts (its connection string in MIMAMORI_TEST_PG).
/// </summary>
public static class TestDatabases
{
    public static TheoryData<string> Kinds() => ["sqlite", "postgres"];

    public static MimamoriDatabase Create(string kind)
    {
        if (kind == "sqlite")
        {
            return MimamoriDatabase.FromSetting(Path.Combine(Path.GetTempPath(), $"mimamori-test-{Guid.NewGuid():N}.db"));
        }

        var server = Environment.GetEnvironmentVariable("MIMAMORI_TEST_PG")
            ?? throw new InvalidOperationException("MIMAMORI_TEST_PG is not set: run the tests with ./test.sh, which starts a throwaway PostgreSQL cluster.");
        var name = $"mimamori_test_{Guid.NewGuid():N}";
        using (var admin = new NpgsqlConnection(server))
        {
            admin.Open();
            using var create = admin.CreateCommand();
            create.CommandText = $"CREATE DATABASE {name}";
            create.ExecuteNonQuery();
        }

        var builder = new NpgsqlConnectionStringBuilder(server) { Database = name };
        return MimamoriDatabase.FromSetting(builder.ConnectionString);
    }
}
