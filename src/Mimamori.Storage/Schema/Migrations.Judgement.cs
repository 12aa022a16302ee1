namespace Mimamori.Storage.Schema;

public static partial class Migrations
{
    /// <summary>Human judgement of flagged children (version 5).</summary>
    private static (int Version, string Name, string Sql)[] Judgement => [];
}
