namespace Mimamori.Storage.Schema;

public static partial class Migrations
{
    /// <summary>
    /// The link generation households over time reflect (version 22): a night's link rewrites only the memberships of
    /// the persons changed since that generation and the relations of their households, so the generation is written
    /// in the transaction that writes the rows, with the totals the link prints (kept up to date by each update, so that
    /// no night counts every row). A store whose latest generation was written by its latest link, which
    /// succeeded, had its households rebuilt by that link (every link rebuilt them all before): it starts from there.
    /// Its totals are counted by the first update. Otherwise there is no row and the next link rebuilds every household.
    /// </summary>
    private static (int Version, string Name, string Sql)[] HouseholdHistoryState =>
    [
        (22, "households over time: generation reflected", """
            CREATE TABLE household_history_state (
                generation BIGINT NOT NULL,
                memberships BIGINT,
                persons BIGINT,
                persons_in_several BIGINT,
                guardians BIGINT,
                siblings BIGINT
            );
            INSERT INTO household_history_state (generation)
            SELECT g.generation FROM link_generation g
            WHERE g.generation = (SELECT MAX(generation) FROM link_generation)
              AND EXISTS (
                SELECT 1 FROM pipeline_run r
                WHERE r.run_id = (SELECT MAX(run_id) FROM pipeline_run WHERE stage = 'link')
                  AND r.status = 'succeeded' AND g.created_at >= r.started_at AND g.created_at <= r.finished_at);
            """),
    ];
}
