using System.Data.Common;
using System.Globalization;
using Dapper;
using Mimamori.Privacy.Audit;
using Mimamori.Storage.Audit;
using Mimamori.Storage.Connection;

namespace Mimamori.Storage.Retention;

/// <summary>
/// Removes the source records, facts and derived rows whose retention has passed, in one transaction together with
/// the audit event that records the counts, so a purge is either complete and recorded or did not happen.
/// </summary>
/// <remarks>
/// When a category's clock runs:
/// <list type="bullet">
/// <item>A record of a full snapshot that is still <c>current</c> is what the department holds today: never purged.</item>
/// <item>A record of a <c>superseded</c> snapshot: from the day the next snapshot replaced it (<c>superseded_at</c>).
/// A record a later snapshot sent again unchanged was carried over to it (migration 21): its clock runs from when the
/// last snapshot holding it was replaced.</item>
/// <item>A record of a <c>delta</c> batch (events, paper back-entry): from its latest dated fact, or, when it states
/// no dated fact, from the day its batch was imported.</item>
/// <item>Rejected values kept in quarantine: from the same day as their batch's records (superseded, or imported for a delta).</item>
/// </list>
/// Data is due when its clock stopped before the cutoff, <c>as-of − retention years</c>: kept through the
/// anniversary, removed the day after. Judgements, meetings, rights requests, outreach and the audit trail are not
/// touched here: they are the municipality's own records of what it decided and did, with their own retention.
/// </remarks>
public sealed class RetentionPurge
{
    private readonly MimamoriDatabase database;

    /// <summary>Uses the given database (migrated to at least version 9).</summary>
    public RetentionPurge(MimamoriDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        this.database = database;
    }

    /// <summary>Purges, or with <paramref name="dryRun"/> counts what would go and changes nothing.</summary>
    /// <param name="rules">Retention per category.</param>
    /// <param name="sourceCategories">Each feed's category, for batches that kept no record to tell it.</param>
    /// <param name="asOf">The day to measure retention against.</param>
    /// <param name="now">When the purge runs (stamped on the batches it touches).</param>
    /// <param name="dryRun">Count only, and roll back.</param>
    /// <param name="audit">Builds the audit event from the report; not called on a dry run.</param>
    public PurgeReport Run(
        IReadOnlyList<RetentionRule> rules,
        IReadOnlyDictionary<string, string> sourceCategories,
        DateOnly asOf,
        DateTimeOffset now,
        bool dryRun,
        Func<PurgeReport, AuditEvent> audit)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(sourceCategories);
        ArgumentNullException.ThrowIfNull(audit);
        using var connection = database.Open();
        using var tx = connection.BeginTransaction();
        connection.Execute("CREATE TEMPORARY TABLE purge_record (record_id BIGINT PRIMARY KEY, category TEXT NOT NULL, batch_id BIGINT NOT NULL)", transaction: tx);
        connection.Execute("CREATE TEMPORARY TABLE purge_person (person_id BIGINT PRIMARY KEY)", transaction: tx);

        var categories = new List<CategoryPurge>();
        var dueBatches = new List<long>();
        var batches = Batches(connection, tx, sourceCategories);
        foreach (var rule in rules)
        {
            if (rule.Years <= 0)
            {
                categories.Add(new CategoryPurge(rule.Category, rule.Years, DateOnly.MinValue, 0, 0, 0));
                continue;
            }

            var cutoff = asOf.AddYears(-rule.Years);
            var args = new { category = rule.Category, cutoff = cutoff.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };

            // Timestamps are ISO UTC text and dates yyyy-MM-dd: "2020-04-01T…" < "2020-04-02" is a date comparison on both databases.
            connection.Execute(
                """
                INSERT INTO purge_record (record_id, category, batch_id)
                SELECT r.record_id, r.category, r.batch_id
                FROM source_record r JOIN import_batch b ON b.batch_id = r.batch_id
                WHERE r.category = @category AND b.status = 'superseded' AND b.superseded_at < @cutoff
                """,
                args,
                tx);
            connection.Execute(
                """
                INSERT INTO purge_record (record_id, category, batch_id)
                SELECT r.record_id, r.category, r.batch_id
                FROM source_record r JOIN import_batch b ON b.batch_id = r.batch_id
                WHERE r.category = @category AND b.status = 'delta'
                  AND COALESCE((SELECT MAX(f.fact_date) FROM fact f WHERE f.record_id = r.record_id), b.finished_at) < @cutoff
                """,
                args,
                tx);

            var records = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM purge_record WHERE category = @category", args, tx);
            var facts = connection.ExecuteScalar<long>(
                "SELECT COUNT(*) FROM fact f JOIN purge_record p ON p.record_id = f.record_id WHERE p.category = @category", args, tx);

            var due = batches.Where(b => b.Category == rule.Category && b.ClockStopped(args.cutoff)).Select(b => b.BatchId).ToList();
            dueBatches.AddRange(due);
            var quarantined = due.Count == 0
                ? 0
                : connection.ExecuteScalar<long>(
                    "SELECT COUNT(*) FROM quarantine WHERE batch_id IN " + SqlLists.Ids(due), transaction: tx);
            categories.Add(new CategoryPurge(rule.Category, rule.Years, cutoff, records, facts, quarantined));
        }

        const string Purged = "(SELECT record_id FROM purge_record)";
        connection.Execute(
            $"INSERT INTO purge_person (person_id) SELECT DISTINCT person_id FROM person_record WHERE record_id IN {Purged}", transaction: tx);
        connection.Execute($"DELETE FROM fact WHERE record_id IN {Purged}", transaction: tx);
        connection.Execute($"DELETE FROM person_record WHERE record_id IN {Purged}", transaction: tx);
        connection.Execute($"DELETE FROM link_review WHERE record_id IN {Purged} OR candidate_record_id IN {Purged}", transaction: tx);
        connection.Execute($"DELETE FROM record_change WHERE record_id IN {Purged} OR previous_record_id IN {Purged}", transaction: tx);
        // A record a later snapshot carried over is purged with the last batch that held it; the earlier batches that
        // held it count it as purged too.
        connection.Execute(
            $"""
            UPDATE import_batch
            SET rows_purged = COALESCE(rows_purged, 0) + (SELECT COUNT(*) FROM record_earlier_batch e WHERE e.batch_id = import_batch.batch_id AND e.record_id IN {Purged}),
                purged_at = @now
            WHERE batch_id IN (SELECT e.batch_id FROM record_earlier_batch e WHERE e.record_id IN {Purged})
            """,
            new { now = Utc(now) },
            tx);
        connection.Execute($"DELETE FROM record_earlier_batch WHERE record_id IN {Purged}", transaction: tx);
        connection.Execute($"DELETE FROM source_record WHERE record_id IN {Purged}", transaction: tx);
        connection.Execute(
            """
            UPDATE import_batch
            SET rows_purged = COALESCE(rows_purged, 0) + (SELECT COUNT(*) FROM purge_record p WHERE p.batch_id = import_batch.batch_id),
                purged_at = @now
            WHERE batch_id IN (SELECT batch_id FROM purge_record)
            """,
            new { now = Utc(now) },
            tx);
        if (dueBatches.Count > 0)
        {
            connection.Execute("DELETE FROM quarantine WHERE batch_id IN " + SqlLists.Ids(dueBatches), transaction: tx);
        }

        // Assessments and scores quote the evidence records they rest on: those of anyone who lost a record go now,
        // and the next detect run rebuilds them from what is left.
        const string Affected = "(SELECT person_id FROM purge_person)";
        var derived = connection.Execute($"DELETE FROM need_assessment WHERE person_id IN {Affected}", transaction: tx)
            + connection.Execute($"DELETE FROM need_score WHERE person_id IN {Affected}", transaction: tx)
            + connection.Execute($"DELETE FROM unclaimed_support WHERE person_id IN {Affected}", transaction: tx);
        // Purged links can change a child's latest school too: the ranking stands aside until detect rebuilds it.
        connection.Execute(Reading.WorklistRanking.InvalidateSql, transaction: tx);

        // A person with no record left is no longer known to the store at all.
        connection.Execute(
            "DELETE FROM purge_person WHERE EXISTS (SELECT 1 FROM person_record pr WHERE pr.person_id = purge_person.person_id)", transaction: tx);
        var persons = connection.Execute($"DELETE FROM person WHERE person_id IN {Affected}", transaction: tx);
        connection.Execute($"DELETE FROM household_member WHERE person_id IN {Affected}", transaction: tx);
        connection.Execute($"DELETE FROM person_key WHERE person_id IN {Affected}", transaction: tx);

        connection.Execute("DROP TABLE purge_record", transaction: tx);
        connection.Execute("DROP TABLE purge_person", transaction: tx);
        var report = new PurgeReport(asOf, dryRun, categories, persons, derived);
        if (dryRun)
        {
            tx.Rollback();
            return report;
        }

        // Facts went from under records: the next detect and outreach reassess everyone rather than the persons a link changed.
        Pipeline.PersonChanges.MarkAll(connection, tx, now);
        new AuditLog(database).Append(connection, tx, [audit(report)]);
        tx.Commit();
        return report;
    }

    private static string Utc(DateTimeOffset at) => at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static List<BatchClock> Batches(DbConnection connection, DbTransaction tx, IReadOnlyDictionary<string, string> sourceCategories)
    {
        var rows = connection.Query<BatchRow>(
            "SELECT batch_id AS BatchId, source AS Source, status AS Status, finished_at AS FinishedAt, superseded_at AS SupersededAt FROM import_batch WHERE status IN ('superseded', 'delta')",
            transaction: tx).ToList();
        var clocks = new List<BatchClock>(rows.Count);
        foreach (var row in rows)
        {
            var category = sourceCategories.TryGetValue(row.Source, out var c)
                ? c
                : connection.ExecuteScalar<string?>("SELECT category FROM source_record WHERE batch_id = @b LIMIT 1", new { b = row.BatchId }, tx);

            // A batch whose category can no longer be told is kept rather than guessed at.
            if (category is not null)
            {
                clocks.Add(new BatchClock(row.BatchId, category, row.Status == "superseded" ? row.SupersededAt : row.FinishedAt));
            }
        }

        return clocks;
    }

    private sealed record BatchClock(long BatchId, string Category, string? StoppedAt)
    {
        public bool ClockStopped(string cutoff) => StoppedAt is not null && string.CompareOrdinal(StoppedAt, cutoff) < 0;
    }

    private sealed record BatchRow(long BatchId, string Source, string Status, string? FinishedAt, string? SupersededAt);
}
