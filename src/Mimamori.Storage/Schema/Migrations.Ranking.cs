namespace Mimamori.Storage.Schema;

public static partial class Migrations
{
    /// <summary>
    /// The worklist's order, precomputed (version 16): one row per child on the list for each way the list can be
    /// narrowed by need (<c>facet</c>: '' for any need, <c>d:difficulty</c> for one difficulty, <c>b:band</c> for one
    /// band), with the band rank and score it is ranked by and the columns it is filtered and sorted by, written in the
    /// same transaction as the need assessments it is derived from, and whether the linked records hold an open 要対協
    /// registration (staff's own registrations are read live). A page is then an indexed range read. The
    /// school names for the filter are kept beside it; <c>worklist_rank_state</c> says the ranking was built.
    /// </summary>
    private static (int Version, string Name, string Sql)[] Ranking =>
    [
        (16, "worklist ranking", """
            CREATE TABLE worklist_rank (
                facet TEXT NOT NULL,
                person_id BIGINT NOT NULL,
                band_rank BIGINT NOT NULL,
                score DOUBLE PRECISION NOT NULL,
                family_kana TEXT,
                given_kana TEXT,
                birth_date TEXT,
                school TEXT,
                area TEXT NOT NULL,
                yotaikyo_in_records BIGINT NOT NULL,
                PRIMARY KEY (facet, person_id)
            );
            CREATE INDEX ix_worklist_rank_priority ON worklist_rank (facet, band_rank DESC, score DESC, person_id);
            CREATE INDEX ix_worklist_rank_kana ON worklist_rank (facet, family_kana, given_kana, person_id);
            CREATE INDEX ix_worklist_rank_birth ON worklist_rank (facet, birth_date, person_id);
            CREATE INDEX ix_worklist_rank_area ON worklist_rank (facet, area);
            CREATE INDEX ix_worklist_rank_school ON worklist_rank (facet, school);
            CREATE INDEX ix_worklist_rank_person ON worklist_rank (person_id);

            CREATE TABLE worklist_school (
                school TEXT PRIMARY KEY
            );

            CREATE TABLE worklist_rank_state (
                built_at TEXT NOT NULL,
                children BIGINT NOT NULL
            );
            """),
    ];
}
