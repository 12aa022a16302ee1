namespace Mimamori.Storage.Schema;

public static partial class Migrations
{
    /// <summary>
    /// Dashboards and worklist views (version 11): the count of children per difficulty and band at each detection run,
    /// so trends survive the next run replacing <c>need_assessment</c>; each user's saved worklist filters; and
    /// consultation notes drafted from a recording (the audio file's name is kept only until the note is confirmed).
    /// </summary>
    private static (int Version, string Name, string Sql)[] Views =>
    [
        (11, "dashboards and saved views", """
            CREATE TABLE need_snapshot (
                run_id BIGINT NOT NULL,
                reference_date TEXT NOT NULL,
                difficulty TEXT NOT NULL,
                band TEXT NOT NULL,
                children BIGINT NOT NULL,
                PRIMARY KEY (run_id, difficulty, band)
            );

            CREATE TABLE worklist_view (
                view_id BIGINT PRIMARY KEY,
                user_name TEXT NOT NULL,
                name TEXT NOT NULL,
                query TEXT NOT NULL,
                created_at TEXT NOT NULL
            );
            CREATE INDEX ix_worklist_view_user ON worklist_view (user_name);

            CREATE TABLE consultation_note (
                note_id BIGINT PRIMARY KEY,
                person_id BIGINT NOT NULL,
                status TEXT NOT NULL,
                draft_text TEXT NOT NULL,
                note_text TEXT,
                audio_file TEXT,
                transcriber TEXT NOT NULL,
                created_by TEXT NOT NULL,
                created_at TEXT NOT NULL,
                confirmed_by TEXT,
                confirmed_at TEXT,
                audio_deleted_at TEXT
            );
            CREATE INDEX ix_consultation_note_person ON consultation_note (person_id);
            """),
    ];
}
