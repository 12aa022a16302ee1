namespace Mimamori.Storage.Schema;

public static partial class Migrations
{
    /// <summary>Ingestion history and paper back-entry (version 6).</summary>
    private static (int Version, string Name, string Sql)[] History => [];
}
