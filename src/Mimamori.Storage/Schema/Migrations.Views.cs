namespace Mimamori.Storage.Schema;

public static partial class Migrations
{
    /// <summary>
    /// Dashboards and worklist views (version 11): the count of children per difficulty and band at each detection run,
    /// so trends survive the next run replacing <c>need_assessment</c>; and each user's saved worklist filters.
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
            """),
    ];
}
