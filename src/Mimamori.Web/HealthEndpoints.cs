using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Mimamori.Storage.Connection;

namespace Mimamori.Web;

/// <summary>
/// <c>/healthz</c> for the operator's monitoring: 200 when the database answers, 503 when it does not, so a load
/// balancer or a watchdog can act on the status code alone. It reveals nothing about people.
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
                using var connection = db.Open();
                connection.ExecuteScalar<long>("SELECT 1");
                return Results.Json(new { status = "ok", database = "reachable", dialect = db.Dialect.ToString() });
            }
            catch (System.Data.Common.DbException)
            {
                return Results.Json(new { status = "degraded", database = "unreachable", dialect = db.Dialect.ToString() }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        });
        return app;
    }
}
