namespace Mimamori.Storage.Schema;

public static partial class Migrations
{
    /// <summary>
    /// Rows a full snapshot sends again unchanged (version 21). Each record gains <c>content_hash</c>, a digest of
    /// everything it holds but where it was read (file, line). A row of a new snapshot whose digest equals a record of
    /// the snapshot it replaces is not stored again: that record moves to the new batch (its id, links, facts and
    /// evidence stay), and <c>record_earlier_batch</c> keeps each earlier batch it was in, with its file and line
    /// there, so what was known on any day stays answerable.
    /// </summary>
    private static (int Version, string Name, string Sql)[] Carry =>
    [
        (21, "records carried over by a snapshot", """
            ALTER TABLE source_record ADD COLUMN content_hash TEXT;

            CREATE TABLE record_earlier_batch (
                record_id BIGINT NOT NULL,
                batch_id BIGINT NOT NULL,
                file TEXT NOT NULL,
                line BIGINT NOT NULL,
                PRIMARY KEY (record_id, batch_id)
            );
            CREATE INDEX ix_record_earlier_batch_batch ON record_earlier_batch (batch_id);
            """),
    ];
}
