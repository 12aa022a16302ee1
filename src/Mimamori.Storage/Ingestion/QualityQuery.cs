using Dapper;
using Mimamori.Storage.Connection;

namespace Mimamori.Storage.Ingestion;

/// <summary>One import of one file, with its reconciliation and what it changed.</summary>
public sealed record ImportBatchRow(
    long BatchId, string Source, string File, string StartedAt, string? FinishedAt, long RowsRead, long RowsAccepted, long RowsQuarantined,
    string Status, long? RowsAdded, long? RowsChanged, long? RowsRemoved, string? EnteredBy);

/// <summary>A quarantined value as stored: where, what was received, what was expected.</summary>
public sealed record QuarantineRow(long BatchId, string File, long Line, string Column, string Received, string Expected);

/// <summary>How many accepted rows of a batch have a value in one column.</summary>
public sealed record ColumnFill(long Position, string Column, long Filled);

/// <summary>The reading queries of the data-quality page: imports per feed, quarantine, completeness.</summary>
public sealed class QualityQuery(MimamoriDatabase database)
{
    private const string BatchColumns = """
        batch_id AS BatchId, source AS Source, file AS File, started_at AS StartedAt, finished_at AS FinishedAt, rows_read AS RowsRead,
        rows_accepted AS RowsAccepted, rows_quarantined AS RowsQuarantined, status AS Status, rows_added AS RowsAdded,
        rows_changed AS RowsChanged, rows_removed AS RowsRemoved, entered_by AS EnteredBy
        """;

    /// <summary>Every import, oldest first (a few per feed and run: small).</summary>
    public IReadOnlyList<ImportBatchRow> Batches(string? source = null)
    {
        using var connection = database.Open();
        return [.. connection.Query<ImportBatchRow>(
            $"SELECT {BatchColumns} FROM import_batch WHERE (@source IS NULL OR source = @source) ORDER BY batch_id",
            Parameters(source))];
    }

    /// <summary>The quarantined values of a batch in file order; <paramref name="limit"/> null for all of them.</summary>
    public IReadOnlyList<QuarantineRow> Quarantine(long batchId, int? limit)
    {
        using var connection = database.Open();
        var rows = connection.Query<QuarantineRow>(
            """
            SELECT batch_id AS BatchId, file AS File, line AS Line, column_name AS Column, received AS Received, expected AS Expected
            FROM quarantine WHERE batch_id = @batchId ORDER BY line, column_name
            """,
            new { batchId },
            buffered: false);
        return [.. limit is { } n ? rows.Take(n) : rows];
    }

    /// <summary>How many values each column had, per column in the file's order.</summary>
    public IReadOnlyList<ColumnFill> Completeness(long batchId)
    {
        using var connection = database.Open();
        return [.. connection.Query<ColumnFill>(
            "SELECT position AS Position, column_name AS Column, filled AS Filled FROM batch_completeness WHERE batch_id = @batchId ORDER BY position",
            new { batchId })];
    }

    /// <summary>The quarantine reasons of a batch, most frequent first.</summary>
    public IReadOnlyList<(string Column, string Expected, long Count)> Reasons(long batchId)
    {
        using var connection = database.Open();
        return [.. connection.Query<(string, string, long)>(
            """
            SELECT column_name, expected, COUNT(*) AS n FROM quarantine WHERE batch_id = @batchId
            GROUP BY column_name, expected ORDER BY n DESC, column_name, expected
            """,
            new { batchId })];
    }

    private static DynamicParameters Parameters(string? source)
    {
        var p = new DynamicParameters();
        p.Add("source", source, System.Data.DbType.String);
        return p;
    }
}
