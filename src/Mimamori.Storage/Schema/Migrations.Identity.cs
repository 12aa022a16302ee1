namespace Mimamori.Storage.Schema;

public static partial class Migrations
{
    /// <summary>Stable person ids, review decisions and linkage runs (version 7).</summary>
    private static (int Version, string Name, string Sql)[] Identity => [];
}
