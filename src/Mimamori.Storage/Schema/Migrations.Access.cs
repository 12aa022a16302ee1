namespace Mimamori.Storage.Schema;

public static partial class Migrations
{
    /// <summary>
    /// Access beyond the role's scope (version 12): case assignments, which give <c>own_cases</c> its meaning (the
    /// children currently assigned to a user, by whom and since when), and break-glass grants (emergency access to one
    /// child outside the user's scope, with the written reason, the expiry and the privacy officer's review).
    /// </summary>
    private static (int Version, string Name, string Sql)[] Access =>
    [
        (12, "case assignment and break-glass", """
            CREATE TABLE case_assignment (
                assignment_id BIGINT PRIMARY KEY,
                person_id BIGINT NOT NULL,
                user_name TEXT NOT NULL,
                organisation TEXT NOT NULL,
                reason TEXT NOT NULL,
                assigned_at TEXT NOT NULL,
                assigned_by TEXT NOT NULL,
                ended_at TEXT,
                ended_by TEXT
            );
            CREATE INDEX ix_case_assignment_user ON case_assignment (user_name, person_id);
            CREATE INDEX ix_case_assignment_person ON case_assignment (person_id);

            CREATE TABLE break_glass (
                grant_id BIGINT PRIMARY KEY,
                user_name TEXT NOT NULL,
                role TEXT NOT NULL,
                organisation TEXT NOT NULL,
                person_id BIGINT NOT NULL,
                reason TEXT NOT NULL,
                granted_at TEXT NOT NULL,
                expires_at TEXT NOT NULL,
                reviewed_by TEXT,
                reviewed_at TEXT,
                review_note TEXT
            );
            CREATE INDEX ix_break_glass_user ON break_glass (user_name, person_id);
            """),
    ];
}
