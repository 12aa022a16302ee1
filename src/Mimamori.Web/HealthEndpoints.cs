using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Pipeline;

namespace Mimamori.Web;

/// <summary>
/// <c>/healthz</c> for the operator's monitoring: 200 when the database answers, 503 when it does not, so a load
/// balancer or a watchdog can act on the status code alone; the body also gives each stage's last run. It reveals
/// nothing about people.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>Maps <c>/healthz</c>.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", (MimamoriDatabase db) =>
        {
            try
            {
                using (var connection = db.Open())
                {
                    connection.ExecuteScalar<long>("SELECT 1");
                }

                // A failed nightly run is reported, but the status code stays 200: restarting the web app would not
                // fix it, and a watchdog acting on the code alone must not loop on restarts.
                var runs = RunLog.Latest(db);
                return Results.Json(new
                {
                    status = runs.All(r => r.Status is "succeeded" or "running") ? "ok" : "run_failed",
                    database = "reachable",
                    dialect = db.Dialect.ToString(),
                    last_runs = runs.Select(r => new { stage = r.Stage, status = r.Status, started_at = r.StartedAt, finished_at = r.FinishedAt, rows = r.Rows }),
                });
            }
            catch (System.Data.Common.DbException)
            {
                return Results.Json(new { status = "degraded", database = "unreachable", dialect = db.Dialect.ToString() }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        });
        return app;
    }
}
