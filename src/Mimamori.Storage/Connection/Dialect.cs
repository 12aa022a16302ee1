namespace Mimamori.Storage.Connection;

/// <summary>The two databases Mimamori runs on: embedded SQLite by default, PostgreSQL in production.</summary>
public enum Dialect
{
    Sqlite,
    Postgres,
}
