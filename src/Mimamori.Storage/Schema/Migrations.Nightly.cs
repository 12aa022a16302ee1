namespace Mimamori.Storage.Schema;

public static partial class Migrations
{
    /// <summary>
    /// What each link changed (version 18), so that detect and outreach can reassess only what a night's exports
    /// touched. Every save of a link is one <c>link_generation</c>; <c>person_change</c> lists, per generation, the
    /// persons whose row, household or linked records differ from the generation before, once with the household they
    /// left and once with the one they are in. <c>all_persons = 1</c> marks a generation after which nothing may be
    /// assumed unchanged (the first link, a retention purge).
    /// </summary>
    private static (int Version, string Name, string Sql)[] Nightly =>
    [
        (18, "person changes per link", """
            CREATE TABLE link_generation (
                generation BIGINT PRIMARY KEY,
                all_persons BIGINT NOT NULL,
                changed_persons BIGINT NOT NULL,
                created_at TEXT NOT NULL
            );

            CREATE TABLE person_change (
                generation BIGINT NOT NULL,
                person_id BIGINT NOT NULL,
                household_no TEXT
            );
            CREATE INDEX ix_person_change_generation ON person_change (generation);
            """),
    ];
}
