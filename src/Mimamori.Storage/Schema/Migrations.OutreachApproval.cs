namespace Mimamori.Storage.Schema;

public static partial class Migrations
{
    /// <summary>
    /// Outreach a caseworker approved (version 14): after deciding that a child needs support, the caseworker may
    /// approve one program from the catalog to be offered to the family. An approval is withdrawn, never deleted, so
    /// the record shows who approved and who withdrew.
    /// </summary>
    private static (int Version, string Name, string Sql)[] OutreachApproval =>
    [
        (14, "outreach approval", """
            CREATE TABLE outreach_approval (
                approval_id BIGINT PRIMARY KEY,
                person_id BIGINT NOT NULL,
                judgement_id BIGINT NOT NULL,
                program TEXT NOT NULL,
                approved_by TEXT NOT NULL,
                approved_at TEXT NOT NULL,
                withdrawn_by TEXT,
                withdrawn_at TEXT
            );
            CREATE INDEX ix_outreach_approval_person ON outreach_approval (person_id);
            """),
    ];
}
