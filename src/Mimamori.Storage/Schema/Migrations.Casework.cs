namespace Mimamori.Storage.Schema;

public static partial class Migrations
{
    /// <summary>
    /// Casework after a decision (version 10): support plans with their tasks, referrals between agencies, 要対協
    /// registrations, and who gave (and withdrew) a consent to share with an outside partner. The consent table of
    /// version 1 gains the person it covers and the giver and withdrawal details; rows written before stay valid.
    /// </summary>
    private static (int Version, string Name, string Sql)[] Casework =>
    [
        (10, "casework", """
            CREATE TABLE support_plan (
                plan_id BIGINT PRIMARY KEY,
                person_id BIGINT NOT NULL,
                judgement_id BIGINT,
                goals TEXT NOT NULL,
                services TEXT NOT NULL,
                agency TEXT NOT NULL,
                review_on TEXT NOT NULL,
                status TEXT NOT NULL,
                created_by TEXT NOT NULL,
                created_at TEXT NOT NULL,
                updated_by TEXT NOT NULL,
                updated_at TEXT NOT NULL
            );
            CREATE INDEX ix_support_plan_person ON support_plan (person_id);
            CREATE INDEX ix_support_plan_review ON support_plan (status, review_on);

            CREATE TABLE plan_task (
                task_id BIGINT PRIMARY KEY,
                plan_id BIGINT NOT NULL,
                person_id BIGINT NOT NULL,
                title TEXT NOT NULL,
                due_on TEXT NOT NULL,
                assignee TEXT NOT NULL,
                status TEXT NOT NULL,
                created_by TEXT NOT NULL,
                created_at TEXT NOT NULL,
                done_by TEXT,
                done_at TEXT
            );
            CREATE INDEX ix_plan_task_plan ON plan_task (plan_id);
            CREATE INDEX ix_plan_task_due ON plan_task (status, due_on);

            CREATE TABLE case_referral (
                referral_id BIGINT PRIMARY KEY,
                person_id BIGINT NOT NULL,
                household_no TEXT,
                from_org TEXT NOT NULL,
                from_user TEXT NOT NULL,
                to_org TEXT NOT NULL,
                to_kind TEXT NOT NULL,
                reason TEXT NOT NULL,
                fields TEXT NOT NULL,
                consent_id BIGINT,
                sent_at TEXT NOT NULL,
                status TEXT NOT NULL,
                answered_by TEXT,
                answered_at TEXT,
                answer_reason TEXT
            );
            CREATE INDEX ix_case_referral_to ON case_referral (to_org, status);
            CREATE INDEX ix_case_referral_person ON case_referral (person_id);

            CREATE TABLE yotaikyo_registration (
                registration_id BIGINT PRIMARY KEY,
                person_id BIGINT NOT NULL,
                kind TEXT NOT NULL,
                registered_on TEXT NOT NULL,
                ended_on TEXT,
                end_reason TEXT,
                recorded_by TEXT NOT NULL,
                recorded_at TEXT NOT NULL
            );
            CREATE INDEX ix_yotaikyo_registration_person ON yotaikyo_registration (person_id);

            ALTER TABLE consent ADD COLUMN person_id BIGINT;
            ALTER TABLE consent ADD COLUMN given_by TEXT;
            ALTER TABLE consent ADD COLUMN withdrawn_by TEXT;
            ALTER TABLE consent ADD COLUMN withdrawal_reason TEXT;
            CREATE INDEX ix_consent_person ON consent (person_id);
            """),
    ];
}
