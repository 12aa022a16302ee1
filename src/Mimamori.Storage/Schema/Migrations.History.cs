namespace Mimamori.Storage.Schema;

public static partial class Migrations
{
    /// <summary>Ingestion history and paper back-entry (version 6).</summary>
    /// <remarks>
    /// <c>superseded_at</c> dates when a batch stopped being current, so that "what was known on date D" is the batches
    /// finished before D and not yet superseded then. <c>record_change</c> lists, per full snapshot, the records it
    /// added, changed or removed against the snapshot it replaced (keyed by the record's own id, else its 宛名番号).
    /// <c>batch_completeness</c> counts the filled values of each column, for the data-quality page and its trend.
    /// <c>entered_by</c>/<c>entered_at</c> mark records keyed in by staff from paper.
    /// </remarks>
    private static (int Version, string Name, string Sql)[] History =>
    [
        (6, "history", """
            ALTER TABLE import_batch ADD COLUMN superseded_at TEXT;
            ALTER TABLE import_batch ADD COLUMN rows_added BIGINT;
            ALTER TABLE import_batch ADD COLUMN rows_changed BIGINT;
            ALTER TABLE import_batch ADD COLUMN rows_removed BIGINT;
            ALTER TABLE import_batch ADD COLUMN entered_by TEXT;
            ALTER TABLE import_batch ADD COLUMN entered_at TEXT;

            CREATE TABLE record_change (
                batch_id BIGINT NOT NULL,
                source TEXT NOT NULL,
                record_key TEXT NOT NULL,
                change TEXT NOT NULL,
                record_id BIGINT,
                previous_record_id BIGINT
            );
            CREATE INDEX ix_record_change_batch ON record_change (batch_id);
            CREATE INDEX ix_record_change_key ON record_change (source, record_key);

            CREATE TABLE batch_completeness (
                batch_id BIGINT NOT NULL,
                position BIGINT NOT NULL,
                column_name TEXT NOT NULL,
                filled BIGINT NOT NULL
            );
            CREATE INDEX ix_batch_completeness_batch ON batch_completeness (batch_id);

            CREATE INDEX ix_source_record_local ON source_record (source, local_id);
            CREATE INDEX ix_import_batch_status ON import_batch (source, status);
            """),
    ];
}
