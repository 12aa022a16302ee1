using Dapper;
using Mimamori.Storage.Connection;

namespace Mimamori.Storage.Ingestion;

/// <summary>Whose history is asked for: a 宛名番号, one source's record id, or a resolved person (and every record linked to them).</summary>
public sealed record HistorySubject(string? AtenaNo = null, string? Source = null, string? LocalId = null, long? PersonId = null)
{
    /// <summary>The subject as the audit trail names it.</summary>
    public string Describe() =>
        PersonId is { } p ? FormattableString.Invariant($"person:{p}") : AtenaNo is not null ? "atena:" + AtenaNo : $"record:{Source}:{LocalId}";
}

/// <summary>A record as it was known on a day: where it came from, from when until when it was the current word, and its values.</summary>
public sealed record KnownRecord(
    long RecordId, long BatchId, string Source, string Category, string File, long Line, string? LocalId, string? AtenaNo,
    string KnownFrom, string? KnownUntil, string? EnteredBy, string Original, IReadOnlyList<KnownFact> Facts);

/// <summary>A fact a known record stated.</summary>
public sealed record KnownFact(string Kind, string? Date, string? Text);

/// <summary>One change a snapshot made to one of the subject's records.</summary>
public sealed record RecordChange(long BatchId, string Source, string File, string At, string RecordKey, string Change, long? RecordId, long? PreviousRecordId);

/// <summary>
/// What was known when: imports are transaction time. A record was known on day D when its batch had finished by the
/// end of D (Japan time) and was not yet superseded by a later full snapshot at that moment. Nothing is overwritten,
/// so any earlier day can be asked again and gives the same answer.
/// </summary>
public sealed class HistoryQuery(MimamoriDatabase database)
{
    private const string SubjectFilter = """
        ((@atena IS NOT NULL AND r.atena_no = @atena)
         OR (@source IS NOT NULL AND r.source = @source AND r.local_id = @local)
         OR (@person IS NOT NULL AND (r.record_id IN (SELECT pr.record_id FROM person_record pr WHERE pr.person_id = @person)
                                      OR r.atena_no = (SELECT p.atena_no FROM person p WHERE p.person_id = @person))))
        """;

    /// <summary>The end of a day in Japan, as the UTC text the batches' timestamps are stored in.</summary>
    public static string EndOfDay(DateOnly day) =>
        ImportBatchWriter.Utc(new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(9)));

    /// <summary>The subject's records known at the end of <paramref name="day"/>, oldest import first.</summary>
    public IReadOnlyList<KnownRecord> KnownOn(DateOnly day, HistorySubject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        using var connection = database.Open();
        // A record is known through the batch it is in and through each earlier snapshot that held it before a later
        // one carried it over unchanged (record_earlier_batch), with the file and line it had there.
        const string Filter = $"""
            WHERE b.finished_at < @cutoff AND (b.superseded_at IS NULL OR b.superseded_at >= @cutoff)
              AND b.status IN ('current', 'superseded', 'delta') AND {SubjectFilter}
            """;
        const string Own = "FROM source_record r JOIN import_batch b ON b.batch_id = r.batch_id " + Filter;
        const string Earlier = "FROM record_earlier_batch e JOIN source_record r ON r.record_id = e.record_id JOIN import_batch b ON b.batch_id = e.batch_id " + Filter;
        const string Columns = "r.record_id AS RecordId, b.batch_id AS BatchId, r.source AS Source, r.category AS Category";
        const string Known = "r.local_id AS LocalId, r.atena_no AS AtenaNo, b.finished_at AS KnownFrom, b.superseded_at AS KnownUntil, b.entered_by AS EnteredBy, r.original AS Original";
        var parameters = Parameters(subject, EndOfDay(day));
        var rows = connection.Query<KnownRow>(
            $"""
            SELECT {Columns}, r.file AS File, r.line AS Line, {Known} {Own}
            UNION ALL
            SELECT {Columns}, e.file AS File, e.line AS Line, {Known} {Earlier}
            ORDER BY 9, 1
            """,
            parameters).ToList();
        var facts = connection.Query<(long RecordId, string Kind, string? Date, string? Text)>(
            $"SELECT f.record_id, f.kind, f.fact_date, f.value_text FROM fact f WHERE f.record_id IN (SELECT r.record_id {Own}) OR f.record_id IN (SELECT r.record_id {Earlier}) ORDER BY f.record_id, f.fact_date, f.kind",
            parameters).ToLookup(f => f.RecordId);
        return [.. rows.Select(r => new KnownRecord(
            r.RecordId, r.BatchId, r.Source, r.Category, r.File, r.Line, r.LocalId, r.AtenaNo, r.KnownFrom, r.KnownUntil, r.EnteredBy, r.Original,
            [.. facts[r.RecordId].Select(f => new KnownFact(f.Kind, f.Date, f.Text))]))];
    }

    /// <summary>True when the source already holds a record with this id (a paper form entered twice).</summary>
    public bool HasRecord(string source, string localId)
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<long>("SELECT COUNT(*) FROM source_record WHERE source = @source AND local_id = @localId", new { source, localId }) > 0;
    }

    /// <summary>Every addition, change and removal full snapshots made to the subject's records, oldest first.</summary>
    public IReadOnlyList<RecordChange> Changes(HistorySubject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        using var connection = database.Open();
        return [.. connection.Query<RecordChange>(
            $"""
            SELECT c.batch_id AS BatchId, c.source AS Source, b.file AS File, b.finished_at AS At, c.record_key AS RecordKey, c.change AS Change,
                   c.record_id AS RecordId, c.previous_record_id AS PreviousRecordId
            FROM record_change c JOIN import_batch b ON b.batch_id = c.batch_id
            WHERE EXISTS (
                SELECT 1 FROM source_record r
                WHERE r.source = c.source
                  AND ((r.local_id IS NOT NULL AND r.local_id <> '' AND c.record_key = 'id:' || r.local_id)
                       OR ((r.local_id IS NULL OR r.local_id = '') AND r.atena_no IS NOT NULL AND c.record_key = 'atena:' || r.atena_no))
                  AND {SubjectFilter})
            ORDER BY b.finished_at, c.batch_id, c.record_key
            """,
            Parameters(subject, null))];
    }

    private static DynamicParameters Parameters(HistorySubject subject, string? cutoff)
    {
        var p = new DynamicParameters();
        p.Add("atena", subject.AtenaNo, System.Data.DbType.String);
        p.Add("source", subject.Source, System.Data.DbType.String);
        p.Add("local", subject.LocalId, System.Data.DbType.String);
        p.Add("person", subject.PersonId, System.Data.DbType.Int64);
        p.Add("cutoff", cutoff, System.Data.DbType.String);
        return p;
    }

    private sealed record KnownRow(
        long RecordId, long BatchId, string Source, string Category, string File, long Line, string? LocalId, string? AtenaNo,
        string KnownFrom, string? KnownUntil, string? EnteredBy, string Original);
}
