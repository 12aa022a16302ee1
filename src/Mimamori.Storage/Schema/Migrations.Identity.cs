namespace Mimamori.Storage.Schema;

public static partial class Migrations
{
    /// <summary>Stable person ids, review decisions and linkage runs (version 7).</summary>
    private static (int Version, string Name, string Sql)[] Identity =>
    [
        (7, "identity over time", """
            CREATE TABLE person_key (
                key TEXT PRIMARY KEY,
                person_id BIGINT NOT NULL
            );
            CREATE INDEX ix_person_key_person ON person_key (person_id);

            CREATE TABLE person_identity (
                person_id BIGINT PRIMARY KEY,
                created_at TEXT NOT NULL,
                retired_at TEXT,
                merged_into BIGINT
            );

            CREATE TABLE person_lineage (
                event_id BIGINT PRIMARY KEY,
                at TEXT NOT NULL,
                kind TEXT NOT NULL,
                person_id BIGINT NOT NULL,
                other_person_id BIGINT NOT NULL,
                shared_keys BIGINT NOT NULL
            );
            CREATE INDEX ix_person_lineage_person ON person_lineage (person_id);

            CREATE TABLE link_review (
                review_id BIGINT PRIMARY KEY,
                pair_key TEXT NOT NULL,
                record_id BIGINT NOT NULL,
                candidate_record_id BIGINT NOT NULL,
                weight DOUBLE PRECISION NOT NULL,
                reason TEXT NOT NULL,
                first_seen TEXT NOT NULL
            );
            CREATE INDEX ix_link_review_pair ON link_review (pair_key);

            CREATE TABLE link_decision (
                pair_key TEXT PRIMARY KEY,
                record_key TEXT NOT NULL,
                other_key TEXT NOT NULL,
                decision TEXT NOT NULL,
                weight DOUBLE PRECISION NOT NULL,
                reason TEXT NOT NULL,
                decided_by TEXT NOT NULL,
                decided_at TEXT NOT NULL
            );

            CREATE TABLE linked_batch (
                batch_id BIGINT PRIMARY KEY,
                linked_at TEXT NOT NULL
            );
            """),
    ];
}
