using System.Globalization;
using Dapper;
using Mimamori.Storage.Connection;

namespace Mimamori.Storage.Pipeline;

/// <summary>The history of pipeline runs: what ran, when, how long, how many rows, and how it ended.</summary>
public static class RunLog
{
    /// <summary>Records a stage's start; returns its run id.</summary>
    public static long Start(MimamoriDatabase database, string stage, DateTimeOffset at)
    {
        using var connection = database.Open();
        using var tx = connection.BeginTransaction();
        var id = connection.ExecuteScalar<long>("SELECT COALESCE(MAX(run_id), 0) + 1 FROM pipeline_run", transaction: tx);
        connection.Execute(
            "INSERT INTO pipeline_run (run_id, stage, started_at, rows, status, detail) VALUES (@id, @stage, @at, 0, 'running', '{}')",
            new { id, stage, at = at.ToString("O", CultureInfo.InvariantCulture) },
            tx);
        tx.Commit();
        return id;
    }

    /// <summary>Records a stage's end; <paramref name="detail"/> is JSON (for linkage: the model used).</summary>
    public static void Finish(MimamoriDatabase database, long runId, DateTimeOffset at, long rows, string status, string detail)
    {
        using var connection = database.Open();
        connection.Execute(
            "UPDATE pipeline_run SET finished_at = @at, rows = @rows, status = @status, detail = @detail WHERE run_id = @runId",
            new { runId, at = at.ToString("O", CultureInfo.InvariantCulture), rows, status, detail });
    }

    /// <summary>The detail of a stage's latest successful run; null when it never succeeded.</summary>
    public static string? LastDetail(MimamoriDatabase database, string stage)
    {
        ArgumentNullException.ThrowIfNull(database);
        using var connection = database.Open();
        return connection.QueryFirstOrDefault<string?>(
            "SELECT detail FROM pipeline_run WHERE stage = @stage AND status = 'succeeded' ORDER BY run_id DESC LIMIT 1", new { stage });
    }

    /// <summary>The latest run of each stage, for the health check, the metrics endpoint and the operator's pages.</summary>
    public static IReadOnlyList<StageRun> Latest(MimamoriDatabase database)
    {
        using var connection = database.Open();
        return connection.Query<(string Stage, string StartedAt, string? FinishedAt, long Rows, string Status)>(
                """
                SELECT r.stage, r.started_at, r.finished_at, r.rows, r.status FROM pipeline_run r
                WHERE r.run_id = (SELECT MAX(l.run_id) FROM pipeline_run l WHERE l.stage = r.stage)
                ORDER BY r.stage
                """)
            .Select(r => new StageRun(
                r.Stage,
                DateTimeOffset.Parse(r.StartedAt, CultureInfo.InvariantCulture),
                r.FinishedAt is null ? null : DateTimeOffset.Parse(r.FinishedAt, CultureInfo.InvariantCulture),
                r.Rows,
                r.Status))
            .ToList();
    }
}

/// <summary>One run of a pipeline stage; <see cref="FinishedAt"/> is null while it runs or when it was killed.</summary>
public sealed record StageRun(string Stage, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, long Rows, string Status)
{
    /// <summary>Seconds the run took, or null when it has not finished.</summary>
    public double? Seconds => FinishedAt is { } end ? (end - StartedAt).TotalSeconds : null;
}
