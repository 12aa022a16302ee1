namespace Mimamori.Storage.Schema;

public static partial class Migrations
{
    /// <summary>
    /// Households over time (version 13): each linked person's membership of a 世帯 with its dates, from the registry
    /// snapshot and movements, and the guardian–child and sibling relations of members who lived together. Rebuilt by
    /// every link; <c>household_member</c> keeps the current make-up as before.
    /// </summary>
    private static (int Version, string Name, string Sql)[] Households =>
    [
        (13, "households over time", """
            CREATE TABLE household_membership (
                membership_id BIGINT PRIMARY KEY,
                person_id BIGINT NOT NULL,
                household_no TEXT NOT NULL,
                relation TEXT NOT NULL,
                from_date TEXT,
                to_date TEXT,
                ended_by TEXT,
                is_current BIGINT NOT NULL,
                record_id BIGINT NOT NULL
            );
            CREATE INDEX ix_household_membership_person ON household_membership (person_id);
            CREATE INDEX ix_household_membership_household ON household_membership (household_no);

            CREATE TABLE person_relation (
                person_id BIGINT NOT NULL,
                other_person_id BIGINT NOT NULL,
                kind TEXT NOT NULL,
                household_no TEXT NOT NULL,
                from_date TEXT,
                to_date TEXT
            );
            CREATE INDEX ix_person_relation_person ON person_relation (person_id);
            CREATE INDEX ix_person_relation_other ON person_relation (other_person_id);
            """),
    ];
}
