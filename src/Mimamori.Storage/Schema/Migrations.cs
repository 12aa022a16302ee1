namespace Mimamori.Storage.Schema;

/// <summary>
/// The versioned schema. Each migration is applied once, in order, inside a transaction, and recorded in
/// <c>schema_version</c>. The SQL is the common subset of SQLite and PostgreSQL (BIGINT, TEXT, DOUBLE PRECISION),
/// so one text serves both; ids are assigned by the application, not by the database, so bulk loads need no round trip.
/// Dates are ISO-8601 text (yyyy-MM-dd), timestamps ISO-8601 UTC text: they sort and compare correctly on both.
/// </summary>
public static partial class Migrations
{
    /// <summary>
    /// All migrations. Never edit a released one: add a new one. Each area keeps its later migrations in its own
    /// file (<c>Migrations.*.cs</c>); the runner applies every version a database lacks, whatever the order.
    /// </summary>
    public static IReadOnlyList<(int Version, string Name, string Sql)> All { get; } =
        [.. Core, .. Judgement, .. History, .. Identity, .. Rights, .. Retention, .. Casework, .. Views, .. Access, .. Households, .. OutreachApproval, .. Handover, .. Ranking, .. Nightly, .. Recall, .. Explanations, .. Carry, .. HouseholdHistoryState];

    private static (int Version, string Name, string Sql)[] Core =>
    [
        (1, "core", """
            CREATE TABLE import_batch (
                batch_id BIGINT PRIMARY KEY,
                source TEXT NOT NULL,
                file TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                started_at TEXT NOT NULL,
                finished_at TEXT,
                rows_read BIGINT NOT NULL,
                rows_accepted BIGINT NOT NULL,
                rows_quarantined BIGINT NOT NULL,
                status TEXT NOT NULL
            );
            CREATE INDEX ix_import_batch_source ON import_batch (source, sha256);

            CREATE TABLE quarantine (
                batch_id BIGINT NOT NULL,
                source TEXT NOT NULL,
                file TEXT NOT NULL,
                line BIGINT NOT NULL,
                column_name TEXT NOT NULL,
                received TEXT NOT NULL,
                expected TEXT NOT NULL
            );
            CREATE INDEX ix_quarantine_batch ON quarantine (batch_id);

            CREATE TABLE source_record (
                record_id BIGINT PRIMARY KEY,
                batch_id BIGINT NOT NULL,
                source TEXT NOT NULL,
                category TEXT NOT NULL,
                file TEXT NOT NULL,
                line BIGINT NOT NULL,
                local_id TEXT,
                atena_no TEXT,
                household_no TEXT,
                family_name TEXT,
                given_name TEXT,
                family_kana TEXT,
                given_kana TEXT,
                birth_date TEXT,
                sex TEXT,
                postal_code TEXT,
                address TEXT,
                phone TEXT,
                relation TEXT,
                original TEXT NOT NULL
            );
            CREATE INDEX ix_source_record_batch ON source_record (batch_id);
            CREATE INDEX ix_source_record_atena ON source_record (atena_no);

            CREATE TABLE fact (
                record_id BIGINT NOT NULL,
                kind TEXT NOT NULL,
                fact_date TEXT,
                value_text TEXT,
                value_num DOUBLE PRECISION
            );
            CREATE INDEX ix_fact_record ON fact (record_id);

            CREATE TABLE person (
                person_id BIGINT PRIMARY KEY,
                family_name TEXT NOT NULL,
                given_name TEXT NOT NULL,
                family_kana TEXT NOT NULL,
                given_kana TEXT NOT NULL,
                birth_date TEXT,
                sex TEXT,
                address TEXT,
                atena_no TEXT,
                household_no TEXT,
                is_child BIGINT NOT NULL
            );
            CREATE INDEX ix_person_household ON person (household_no);

            CREATE TABLE person_record (
                record_id BIGINT PRIMARY KEY,
                person_id BIGINT NOT NULL,
                method TEXT NOT NULL,
                weight DOUBLE PRECISION NOT NULL,
                explanation TEXT NOT NULL
            );
            CREATE INDEX ix_person_record_person ON person_record (person_id);

            CREATE TABLE household_member (
                household_no TEXT NOT NULL,
                person_id BIGINT NOT NULL,
                relation TEXT NOT NULL
            );
            CREATE INDEX ix_household_member_household ON household_member (household_no);
            CREATE INDEX ix_household_member_person ON household_member (person_id);

            CREATE TABLE need_assessment (
                person_id BIGINT NOT NULL,
                difficulty TEXT NOT NULL,
                score DOUBLE PRECISION NOT NULL,
                band TEXT NOT NULL,
                signals TEXT NOT NULL,
                missing TEXT NOT NULL,
                model_version TEXT NOT NULL,
                PRIMARY KEY (person_id, difficulty)
            );

            CREATE TABLE unclaimed_support (
                household_no TEXT NOT NULL,
                person_id BIGINT NOT NULL,
                program TEXT NOT NULL,
                reasons TEXT NOT NULL,
                PRIMARY KEY (household_no, program)
            );

            CREATE TABLE outreach_message (
                message_id BIGINT PRIMARY KEY,
                campaign TEXT NOT NULL,
                household_no TEXT NOT NULL,
                person_id BIGINT NOT NULL,
                program TEXT NOT NULL,
                channel TEXT NOT NULL,
                state TEXT NOT NULL,
                subject TEXT NOT NULL,
                body TEXT NOT NULL,
                created_at TEXT NOT NULL
            );

            CREATE TABLE pipeline_run (
                run_id BIGINT PRIMARY KEY,
                stage TEXT NOT NULL,
                started_at TEXT NOT NULL,
                finished_at TEXT,
                rows BIGINT NOT NULL,
                status TEXT NOT NULL,
                detail TEXT NOT NULL
            );
            """),
        (2, "people and audit", """
            CREATE TABLE app_user (
                user_name TEXT PRIMARY KEY,
                display_name TEXT NOT NULL,
                password_hash TEXT NOT NULL,
                role TEXT NOT NULL,
                organisation TEXT NOT NULL,
                scope TEXT NOT NULL,
                failed_logins BIGINT NOT NULL,
                locked_until TEXT
            );

            CREATE TABLE audit_event (
                seq BIGINT PRIMARY KEY,
                at TEXT NOT NULL,
                user_name TEXT NOT NULL,
                role TEXT NOT NULL,
                organisation TEXT NOT NULL,
                purpose TEXT NOT NULL,
                action TEXT NOT NULL,
                subject TEXT NOT NULL,
                categories TEXT NOT NULL,
                fields TEXT NOT NULL,
                outcome TEXT NOT NULL,
                client TEXT NOT NULL,
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL
            );
            CREATE INDEX ix_audit_event_subject ON audit_event (subject);
            """),
        (3, "need model", """
            CREATE TABLE need_model (
                version TEXT PRIMARY KEY,
                outcome TEXT NOT NULL,
                created_at TEXT NOT NULL,
                card TEXT NOT NULL,
                model TEXT NOT NULL
            );
            CREATE INDEX ix_need_model_outcome ON need_model (outcome, created_at);

            CREATE TABLE need_score (
                person_id BIGINT NOT NULL,
                outcome TEXT NOT NULL,
                model_version TEXT NOT NULL,
                split TEXT NOT NULL,
                probability DOUBLE PRECISION NOT NULL,
                band TEXT NOT NULL,
                contributions TEXT NOT NULL,
                inputs TEXT NOT NULL,
                first_signal TEXT,
                PRIMARY KEY (person_id, outcome)
            );
            """),
        (4, "outreach campaigns", """
            ALTER TABLE outreach_message ADD COLUMN variant TEXT;
            ALTER TABLE outreach_message ADD COLUMN language TEXT;
            ALTER TABLE outreach_message ADD COLUMN approved_by TEXT;
            ALTER TABLE outreach_message ADD COLUMN approved_at TEXT;
            ALTER TABLE outreach_message ADD COLUMN sent_at TEXT;
            ALTER TABLE outreach_message ADD COLUMN read_at TEXT;
            ALTER TABLE outreach_message ADD COLUMN failure TEXT;
            CREATE INDEX ix_outreach_message_campaign ON outreach_message (campaign, state);
            CREATE INDEX ix_outreach_message_household ON outreach_message (household_no);

            CREATE TABLE campaign (
                campaign TEXT PRIMARY KEY,
                target TEXT NOT NULL,
                state TEXT NOT NULL,
                seed BIGINT NOT NULL,
                reference_date TEXT NOT NULL,
                deadline TEXT NOT NULL,
                programs_version TEXT NOT NULL,
                created_at TEXT NOT NULL,
                approved_by TEXT,
                approved_at TEXT,
                sent_at TEXT
            );

            CREATE TABLE message_variant (
                campaign TEXT NOT NULL,
                program TEXT NOT NULL,
                variant TEXT NOT NULL,
                language TEXT NOT NULL,
                subject TEXT NOT NULL,
                PRIMARY KEY (campaign, program, variant)
            );

            CREATE TABLE household_access_code (
                code_hash TEXT PRIMARY KEY,
                household_no TEXT NOT NULL,
                message_id BIGINT,
                issued_at TEXT NOT NULL,
                revoked_at TEXT
            );
            CREATE INDEX ix_household_access_code_household ON household_access_code (household_no);

            CREATE TABLE message_response (
                response_id BIGINT PRIMARY KEY,
                message_id BIGINT NOT NULL,
                household_no TEXT NOT NULL,
                response TEXT NOT NULL,
                responded_at TEXT NOT NULL
            );
            CREATE INDEX ix_message_response_household ON message_response (household_no);
            CREATE INDEX ix_message_response_message ON message_response (message_id);

            CREATE TABLE household_contact (
                household_no TEXT PRIMARY KEY,
                email TEXT NOT NULL,
                consented_at TEXT NOT NULL
            );

            CREATE TABLE consent (
                consent_id BIGINT PRIMARY KEY,
                household_no TEXT NOT NULL,
                partner TEXT NOT NULL,
                purpose TEXT NOT NULL,
                fields TEXT NOT NULL,
                given_at TEXT NOT NULL,
                recorded_by TEXT NOT NULL,
                withdrawn_at TEXT
            );
            CREATE INDEX ix_consent_household ON consent (household_no);

            CREATE TABLE referral (
                referral_id BIGINT PRIMARY KEY,
                consent_id BIGINT NOT NULL,
                household_no TEXT NOT NULL,
                partner TEXT NOT NULL,
                fields TEXT NOT NULL,
                referred_at TEXT NOT NULL,
                referred_by TEXT NOT NULL
            );
            """),
    ];
}
