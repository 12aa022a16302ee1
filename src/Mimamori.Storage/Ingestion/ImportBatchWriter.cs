using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Mimamori.Ingestion.Records;
using Mimamori.Ingestion.Validation;
using Mimamori.Storage.Connection;

namespace Mimamori.Storage.Ingestion;

/// <summary>
/// Stores one file's import as one transaction: its accepted records with their facts and lineage, its quarantined
/// values, and the batch row with the reconciliation. Killed at any point before <see cref="Commit"/>, the database
/// is as it was, so the rerun starts clean; committed, a later run of the same file (same SHA-256) is skipped.
/// </summary>
public sealed class ImportBatchWriter : IDisposable
{
    private static readonly string[] RecordColumns =
    [
        "record_id", "batch_id", "source", "category", "file", "line", "local_id", "atena_no", "household_no", "family_name", "given_name",
        "family_kana", "given_kana", "birth_date", "sex", "postal_code", "address", "phone", "relation", "original", "birth_from", "birth_to", "content_hash",
    ];

    private readonly DbConnection connection;
    private readonly DbTransaction transaction;
    private readonly BulkWriter records;
    private readonly BulkWriter facts;
    private readonly BulkWriter quarantine;
    private readonly string source;
    private readonly string file;
    private readonly string sha256;
    private readonly string snapshot;
    private readonly DateTimeOffset startedAt;
    private readonly string? enteredBy;
    private readonly SnapshotDiff? diff;
    private readonly List<string> columns = [];
    private readonly List<(long RecordId, string File, long Line)> carried = [];
    private long[] filled = [];
    private long nextRecordId;
    private bool committed;

    private ImportBatchWriter(MimamoriDatabase database, string source, string file, string sha256, string snapshot, DateTimeOffset startedAt, string? enteredBy)
    {
        this.source = source;
        this.file = file;
        this.sha256 = sha256;
        this.snapshot = snapshot;
        this.startedAt = startedAt;
        this.enteredBy = enteredBy;
        connection = database.OpenForBulk();
        transaction = connection.BeginTransaction();
        BatchId = connection.ExecuteScalar<long>("SELECT COALESCE(MAX(batch_id), 0) + 1 FROM import_batch", transaction: transaction);
        nextRecordId = connection.ExecuteScalar<long>("SELECT COALESCE(MAX(record_id), 0) + 1 FROM source_record", transaction: transaction);
        if (snapshot == "full")
        {
            diff = SnapshotDiff.Load(connection, transaction, source);
        }

        records = new BulkWriter(connection, transaction, "source_record", RecordColumns);
        facts = new BulkWriter(connection, transaction, "fact", ["record_id", "kind", "fact_date", "value_text", "value_num"]);
        quarantine = new BulkWriter(connection, transaction, "quarantine", ["batch_id", "source", "file", "line", "column_name", "received", "expected"]);
    }

    /// <summary>The id of this batch.</summary>
    public long BatchId { get; }

    /// <summary>True when a file with this content was already imported for this source.</summary>
    public static bool AlreadyImported(MimamoriDatabase database, string source, string sha256)
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<long>(
            "SELECT COUNT(*) FROM import_batch WHERE source = @source AND sha256 = @sha256 AND status IN ('current', 'superseded', 'delta')",
            new { source, sha256 }) > 0;
    }

    /// <summary>Starts a batch; nothing is visible to readers until <see cref="Commit"/>.</summary>
    /// <param name="enteredBy">For records keyed in from paper: who entered them (the batch's start is when).</param>
    public static ImportBatchWriter Begin(MimamoriDatabase database, string source, string file, string sha256, string snapshot, DateTimeOffset startedAt, string? enteredBy = null) =>
        new(database, source, file, sha256, snapshot, startedAt, enteredBy);

    /// <summary>
    /// Adds an accepted record with its facts. In a full snapshot, a row equal to a record of the snapshot it replaces
    /// (same content, wherever it is in the file) carries that record over instead: the record keeps its id, links
    /// and facts, and moves to this batch at <see cref="Commit"/>.
    /// </summary>
    public void Add(CanonicalRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var original = OriginalJson(record.Original);
        var birthDate = record.BirthDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var sex = record.Sex switch { Kernel.People.Sex.Male => "M", Kernel.People.Sex.Female => "F", _ => null };
        var birthFrom = record.BirthWindow?.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var birthTo = record.BirthWindow?.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var digest = RecordContent.Of(
            record.Category, record.LocalId, record.AtenaNo, record.HouseholdNo, record.Name.Family, record.Name.Given, record.Name.FamilyKana, record.Name.GivenKana,
            birthDate, sex, record.PostalCode, record.Address, record.Phone, record.Relation, original, birthFrom, birthTo, record.Facts);
        var key = SnapshotDiff.KeyOf(record.LocalId, record.AtenaNo, original);
        Count(record.Original);
        if (diff is not null && diff.TryCarry(digest, out var earlier))
        {
            diff.Add(key, original, earlier);
            carried.Add((earlier, record.File, record.Line));
            return;
        }

        var id = nextRecordId++;
        diff?.Add(key, original, id);
        records.Write(
            id, BatchId, record.Source, record.Category, record.File, record.Line, record.LocalId, record.AtenaNo, record.HouseholdNo,
            record.Name.Family, record.Name.Given, record.Name.FamilyKana, record.Name.GivenKana,
            birthDate, sex, record.PostalCode, record.Address, record.Phone, record.Relation, original, birthFrom, birthTo, RecordContent.Format(digest));
        foreach (var fact in record.Facts)
        {
            facts.Write(id, fact.Kind, fact.Date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), fact.Text, fact.Number);
        }
    }

    /// <summary>Rows of this batch that carried a record of the snapshot it replaces over rather than adding one.</summary>
    public int Carried => carried.Count;

    /// <summary>Adds a quarantined value.</summary>
    public void Quarantine(QuarantinedValue value) =>
        quarantine.Write(BatchId, source, value.File, value.Line, value.Column, value.Received, value.Expected);

    /// <summary>
    /// Records the reconciliation and makes the batch visible. A full snapshot supersedes the earlier batches of its
    /// source (kept, so that what was known on an earlier date stays queryable).
    /// </summary>
    /// <returns>What the batch added, changed and removed against the snapshot it replaced.</returns>
    public BatchChanges Commit(ReadSummary summary, DateTimeOffset finishedAt)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (!summary.Reconciles)
        {
            throw new InvalidOperationException($"{summary.File}: rows read {summary.RowsRead} ≠ accepted {summary.RowsAccepted} + quarantined {summary.RowsQuarantined}");
        }

        var finished = Utc(finishedAt);
        // Without an earlier snapshot (a first import, or a delta) everything accepted is an addition.
        var changes = diff is null || !diff.HasPrevious ? new BatchChanges(summary.RowsAccepted, 0, 0) : diff.Write(connection, transaction, BatchId, source);
        using (var completeness = new BulkWriter(connection, transaction, "batch_completeness", ["batch_id", "position", "column_name", "filled"]))
        {
            for (var i = 0; i < columns.Count; i++)
            {
                completeness.Write(BatchId, (long)i, columns[i], filled[i]);
            }

            records.Complete();
            facts.Complete();
            quarantine.Complete();
            completeness.Complete();
        }

        records.Dispose();
        facts.Dispose();
        quarantine.Dispose();
        CarryOver();
        if (snapshot == "full")
        {
            connection.Execute(
                "UPDATE import_batch SET status = 'superseded', superseded_at = @finished WHERE source = @source AND status = 'current'", new { source, finished }, transaction);
        }

        connection.Execute(
            """
            INSERT INTO import_batch (batch_id, source, file, sha256, started_at, finished_at, rows_read, rows_accepted, rows_quarantined, status,
                                      rows_added, rows_changed, rows_removed, entered_by, entered_at)
            VALUES (@BatchId, @source, @file, @sha256, @started, @finished, @read, @accepted, @quarantined, @status,
                    @added, @changed, @removed, @enteredBy, @enteredAt)
            """,
            new
            {
                BatchId,
                source,
                file,
                sha256,
                started = Utc(startedAt),
                finished,
                read = summary.RowsRead,
                accepted = summary.RowsAccepted,
                quarantined = summary.RowsQuarantined,
                status = snapshot == "full" ? "current" : "delta",
                added = changes.Added,
                changed = changes.Changed,
                removed = changes.Removed,
                enteredBy,
                enteredAt = enteredBy is null ? null : Utc(startedAt),
            },
            transaction);
        transaction.Commit();
        committed = true;
        return changes;
    }

    /// <summary>
    /// Moves the records carried over to this batch, with the file and line they were read from this time; the batch
    /// each was in until now is kept in <c>record_earlier_batch</c> with its file and line there.
    /// </summary>
    private void CarryOver()
    {
        if (carried.Count == 0)
        {
            return;
        }

        connection.Execute("CREATE TEMPORARY TABLE carried_row (record_id BIGINT PRIMARY KEY, file TEXT NOT NULL, line BIGINT NOT NULL)", transaction: transaction);
        using (var rows = new BulkWriter(connection, transaction, "carried_row", ["record_id", "file", "line"]))
        {
            foreach (var (recordId, rowFile, line) in carried)
            {
                rows.Write(recordId, rowFile, line);
            }

            rows.Complete();
        }

        connection.Execute(
            """
            INSERT INTO record_earlier_batch (record_id, batch_id, file, line)
            SELECT r.record_id, r.batch_id, r.file, r.line FROM source_record r WHERE r.record_id IN (SELECT record_id FROM carried_row)
            """,
            transaction: transaction);
        connection.Execute(
            """
            UPDATE source_record
            SET batch_id = @BatchId,
                file = (SELECT c.file FROM carried_row c WHERE c.record_id = source_record.record_id),
                line = (SELECT c.line FROM carried_row c WHERE c.record_id = source_record.record_id)
            WHERE record_id IN (SELECT record_id FROM carried_row)
            """,
            new { BatchId },
            transaction);
        connection.Execute("DROP TABLE carried_row", transaction: transaction);
    }

    /// <summary>Timestamps are stored in UTC with one format, so that text order is time order on both databases.</summary>
    internal static string Utc(DateTimeOffset at) => at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    public void Dispose()
    {
        if (!committed)
        {
            transaction.Rollback();
        }

        records.Dispose();
        facts.Dispose();
        quarantine.Dispose();
        transaction.Dispose();
        connection.Dispose();
    }

    private void Count(IReadOnlyList<KeyValuePair<string, string>> original)
    {
        if (columns.Count == 0)
        {
            columns.AddRange(original.Select(o => o.Key));
            filled = new long[columns.Count];
        }

        for (var i = 0; i < original.Count && i < filled.Length; i++)
        {
            if (!string.IsNullOrWhiteSpace(original[i].Value))
            {
                filled[i]++;
            }
        }
    }

    private static string OriginalJson(IReadOnlyList<KeyValuePair<string, string>> original)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in original)
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
