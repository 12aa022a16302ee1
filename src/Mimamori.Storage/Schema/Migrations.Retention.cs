namespace Mimamori.Storage.Schema;

public static partial class Migrations
{
    /// <summary>Retention (version 9).</summary>
    /// <remarks>
    /// The batch row itself stays after its records are purged: it holds no personal data (source, file name, SHA-256
    /// and counts) and, kept with its status, stops the same file from being imported again and resurrecting what the
    /// purge removed. <c>rows_purged</c> counts the records removed from it, <c>purged_at</c> dates the last purge
    /// that touched it.
    /// </remarks>
    private static (int Version, string Name, string Sql)[] Retention =>
    [
        (9, "retention", """
            ALTER TABLE import_batch ADD COLUMN purged_at TEXT;
            ALTER TABLE import_batch ADD COLUMN rows_purged BIGINT;
            """),
    ];
}
