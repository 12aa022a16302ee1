namespace Mimamori.Storage.Schema;

public static partial class Migrations
{
    /// <summary>
    /// A person's rights (version 8): requests to see what is held (本人開示請求) and requests to correct it, each
    /// recorded with who received it, how the requester's identity was checked, and what became of it.
    /// </summary>
    private static (int Version, string Name, string Sql)[] Rights =>
    [
        (8, "rights requests", """
            CREATE TABLE disclosure_request (
                request_id BIGINT PRIMARY KEY,
                person_id BIGINT NOT NULL,
                requester TEXT NOT NULL,
                relation TEXT NOT NULL,
                identity_check TEXT NOT NULL,
                received_on TEXT NOT NULL,
                prepared_by TEXT NOT NULL,
                prepared_at TEXT NOT NULL
            );
            CREATE INDEX ix_disclosure_request_person ON disclosure_request (person_id);

            CREATE TABLE correction_request (
                correction_id BIGINT PRIMARY KEY,
                person_id BIGINT NOT NULL,
                request_id BIGINT,
                item TEXT NOT NULL,
                held_value TEXT NOT NULL,
                requested_value TEXT NOT NULL,
                reason TEXT NOT NULL,
                recorded_by TEXT NOT NULL,
                recorded_at TEXT NOT NULL,
                status TEXT NOT NULL
            );
            CREATE INDEX ix_correction_request_person ON correction_request (person_id);
            """),
    ];
}
