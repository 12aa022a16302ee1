namespace Mimamori.Storage.Schema;

public static partial class Migrations
{
    /// <summary>
    /// Birth-date windows (version 19): a record without a birth date keeps the first and last day its subject can
    /// have been born on, as its feed spec derives them (an age column, a consultation about a child). The linker
    /// reads them; the record's values as received are unchanged.
    /// </summary>
    private static (int Version, string Name, string Sql)[] Recall =>
    [
        (19, "birth-date windows", """
            ALTER TABLE source_record ADD COLUMN birth_from TEXT;
            ALTER TABLE source_record ADD COLUMN birth_to TEXT;
            """),
    ];
}
