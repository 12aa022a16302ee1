using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Mimamori.Privacy.Access;
using Mimamori.Storage.Access;
using Mimamori.Storage.Audit;
using Mimamori.Web.Security;

namespace Mimamori.Web.Api;

/// <summary><c>GET /api/audit</c>: the audit trail search for the privacy officer, with the chain check and the break-glass uses awaiting or past review.</summary>
public static class AuditApi
{
    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/audit", (HttpContext http, AccessPolicy policy, AuditLog log, AccessAudit audit, BreakGlassGrants grants) =>
        {
            var user = SignedInUser.Find(http.User)!;
            var reading = AuditPages.Read(http, user, policy, log, audit);
            if (reading is null)
            {
                return Results.Json(new { error = "only the privacy officer may read the audit trail" }, statusCode: StatusCodes.Status403Forbidden);
            }

            var (_, events, brokenAt, count) = reading.Value;
            return Results.Json(new
            {
                chainIntact = brokenAt is null,
                chainBrokenAt = brokenAt,
                entries = count,
                breakGlass = grants.Recent().Select(g => new
                {
                    grantId = g.GrantId,
                    user = g.UserName,
                    role = g.Role,
                    organisation = g.Organisation,
                    personId = g.PersonId,
                    reason = g.Reason,
                    grantedAt = g.GrantedAt,
                    expiresAt = g.ExpiresAt,
                    reviewed = g.Reviewed,
                    reviewedBy = g.ReviewedBy,
                    reviewedAt = g.ReviewedAt,
                    reviewNote = g.ReviewNote,
                }),
                events = events.Select(e => new
                {
                    seq = e.Seq,
                    at = e.At,
                    user = e.User,
                    role = e.Role,
                    organisation = e.Organisation,
                    purpose = e.Purpose,
                    action = e.Action,
                    subject = e.Subject,
                    categories = e.Categories,
                    fields = e.Fields,
                    outcome = e.Outcome,
                    client = e.Client,
                    hash = e.Hash,
                }),
            });
        }).RequireAuthorization();
        return app;
    }
}
