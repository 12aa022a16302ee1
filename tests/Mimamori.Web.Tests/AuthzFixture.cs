using Mimamori.Linkage.Scoring;
using Mimamori.Storage.Connection;

namespace Mimamori.Web.Tests;

/// <summary>
/// The web fixture plus what the authorisation tests need and the shared data lacks: a pupil of school A with a
/// record in every data category (each value a unique marker, so a leak anywhere in a response is found), a
/// linkage pair in the review queue and an imported feed with a quarantined row. A database of its own, so the other
/// web tests' counts are untouched.
/// </summary>
public sealed class AuthzFixture : WebFixture
{
    public const long Hina = 900;
    public const long ReviewId = 950;
    public const string QualitySource = "komu_attendance";
    public const string QuarantineMarker = "印-quarantine";

    /// <summary>The record of each category for <see cref="Hina"/>.</summary>
    public static readonly IReadOnlyDictionary<string, long> RecordOf = new Dictionary<string, long>
    {
        ["resident"] = 901,
        ["tax"] = 902,
        ["welfare"] = 903,
        ["health"] = 904,
        ["education"] = 905,
        ["child_welfare"] = 906,
        ["medical"] = 907,
    };

    /// <summary>The unique value each category's record and fact carry.</summary>
    public static string Marker(string category) => "印-" + category + "-900";

    protected override void Seed(MimamoriDatabase db)
    {
        base.Seed(db);
        using var connection = db.Open();
        using var tx = connection.BeginTransaction();
        using (var person = new BulkWriter(connection, tx, "person", ["person_id", "family_name", "given_name", "family_kana", "given_kana", "birth_date", "sex", "address", "atena_no", "household_no", "is_child"]))
        {
            person.Write(Hina, "高橋", "陽菜", "タカハシ", "ヒナ", "2016-02-02", "2", "見守り市秘密町7-7", "A0900", "H0900", 1L);
        }

        using (var member = new BulkWriter(connection, tx, "household_member", ["household_no", "person_id", "relation"]))
        {
            member.Write("H0900", Hina, "子");
        }

        using (var source = new BulkWriter(connection, tx, "source_record", ["record_id", "batch_id", "source", "category", "file", "line", "original"]))
        using (var link = new BulkWriter(connection, tx, "person_record", ["record_id", "person_id", "method", "weight", "explanation"]))
        using (var fact = new BulkWriter(connection, tx, "fact", ["record_id", "kind", "fact_date", "value_text", "value_num"]))
        {
            foreach (var (category, record) in RecordOf)
            {
                source.Write(record, 1L, "src_" + category, category, category + ".csv", record, $$"""{"項目":"{{Marker(category)}}"}""");
                link.Write(record, Hina, "atena", 20.0, "{}");
                fact.Write(record, category + ".marker", "2025-10-01", Marker(category), null);
            }

            fact.Write(RecordOf["education"], "school.name", "2025-10-31", TestData.SchoolA, null);
        }

        // A pair in the linkage review queue (the data steward's work).
        using (var source = new BulkWriter(connection, tx, "source_record", ["record_id", "batch_id", "source", "category", "file", "line", "local_id", "atena_no", "family_name", "given_name", "family_kana", "given_kana", "birth_date", "sex", "address", "original"]))
        {
            source.Write(ReviewId, 1L, "katei_sodan", "child_welfare", "katei_sodan/sodan.csv", 1L, "K-950", null, "髙橋", "陽菜", "タカハシ", "ヒナ", "2016-02-02", "F", "見守り市秘密町7-7", "{}");
            source.Write(ReviewId + 1, 1L, "jumin_legacy", "resident", "jumin/jumin.csv", 2L, null, "A0900", "高橋", "陽菜", "タカハシ", "ヒナ", "2016-02-03", "F", "見守り市秘密町7-7", "{}");
        }

        using (var run = new BulkWriter(connection, tx, "pipeline_run", ["run_id", "stage", "started_at", "finished_at", "rows", "status", "detail"]))
        {
            run.Write(ReviewId, "link", "2026-04-01T00:00:00Z", "2026-04-01T00:01:00Z", 2L, "succeeded", LinkageModel.Default.ToJson());
        }

        using (var queue = new BulkWriter(connection, tx, "link_review", ["review_id", "pair_key", "record_id", "candidate_record_id", "weight", "reason", "first_seen"]))
        {
            queue.Write(ReviewId, "pair-950", ReviewId, ReviewId + 1, 7.5, "weight between the review and link thresholds", "2026-04-01T00:00:00Z");
        }

        // An imported feed with one quarantined row (the data quality pages).
        using (var batch = new BulkWriter(connection, tx, "import_batch", ["batch_id", "source", "file", "sha256", "started_at", "finished_at", "rows_read", "rows_accepted", "rows_quarantined", "status"]))
        {
            batch.Write(9001L, QualitySource, "shukketsu_2025-10.csv", "00", "2025-11-01T00:00:00Z", "2025-11-01T00:00:01Z", 2L, 1L, 1L, "current");
        }

        using (var quarantine = new BulkWriter(connection, tx, "quarantine", ["batch_id", "source", "file", "line", "column_name", "received", "expected"]))
        {
            quarantine.Write(9001L, QualitySource, "shukketsu_2025-10.csv", 3L, "欠席日数", QuarantineMarker, "integer");
        }

        tx.Commit();
        new Storage.Access.CaseAssignments(db).Assign(Hina, Storage.People.DemoAccounts.OwnCasesUser, "こども家庭センター", "テスト", "supervisor", DateTimeOffset.UtcNow);
    }
}

[CollectionDefinition(Name)]
public sealed class AuthzGroup : ICollectionFixture<AuthzFixture>
{
    public const string Name = "authz";
}
