namespace Mimamori.Storage.Schema;

public static partial class Migrations
{
    /// <summary>
    /// Human judgement of flagged children (version 5): meetings with their agenda, and decisions that are only ever
    /// appended (a later one supersedes, nothing is updated), each with a frozen snapshot of what was shown.
    /// </summary>
    private static (int Version, string Name, string Sql)[] Judgement =>
    [
        (5, "judgement", """
            CREATE TABLE meeting (
                meeting_id BIGINT PRIMARY KEY,
                held_on TEXT NOT NULL,
                title TEXT NOT NULL,
                kind TEXT NOT NULL,
                attendees TEXT NOT NULL,
                created_by TEXT NOT NULL,
                created_at TEXT NOT NULL
            );
            CREATE INDEX ix_meeting_held_on ON meeting (held_on);

            CREATE TABLE meeting_agenda (
                meeting_id BIGINT NOT NULL,
                person_id BIGINT NOT NULL,
                added_by TEXT NOT NULL,
                added_at TEXT NOT NULL,
                PRIMARY KEY (meeting_id, person_id)
            );
            CREATE INDEX ix_meeting_agenda_person ON meeting_agenda (person_id);

            CREATE TABLE judgement (
                judgement_id BIGINT PRIMARY KEY,
                person_id BIGINT NOT NULL,
                decision TEXT NOT NULL,
                reasons TEXT NOT NULL,
                decided_by TEXT NOT NULL,
                decided_by_name TEXT NOT NULL,
                role TEXT NOT NULL,
                organisation TEXT NOT NULL,
                meeting_id BIGINT,
                overrides_score BIGINT NOT NULL,
                decided_at TEXT NOT NULL,
                supersedes BIGINT,
                model_version TEXT NOT NULL,
                snapshot TEXT NOT NULL
            );
            CREATE INDEX ix_judgement_person ON judgement (person_id, judgement_id);
            CREATE INDEX ix_judgement_meeting ON judgement (meeting_id);
            """),
    ];
}
