using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Mimamori.Privacy.Access;
using Mimamori.Storage.Reading;
using Mimamori.Web.Rendering;
using Mimamori.Web.Security;

namespace Mimamori.Web.Api;

/// <summary>
/// <c>GET /api/worklist</c>: the worklist page as JSON, under the same policy, scope and audit as the page; the same
/// filters (<c>difficulty</c>, <c>band</c>, <c>status</c> = judgement status, <c>page</c>, <c>pageSize</c>).
/// </summary>
public static class WorklistApi
{
    private const string Mask = Disclosure.Disclosure.MaskText;

    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapWorklistApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/worklist", (HttpContext http, AccessPolicy policy, WorklistQuery query, AccessAudit audit, TimeProvider clock) =>
        {
            var ui = Ui.For(http);
            var reading = WorklistPages.Read(http, ui.User!, policy, query, audit, clock);
            if (reading is null)
            {
                return Results.Json(new { error = "your role may not see children's data" }, statusCode: StatusCodes.Status403Forbidden);
            }

            var d = reading.Disclosure;
            return Results.Json(new
            {
                purpose = Purpose.EarlySupport,
                total = reading.Page.Total,
                page = reading.Page.Page,
                pageSize = reading.Page.PageSize,
                pages = reading.Page.Pages,
                byBand = reading.Page.ByBand,
                rows = reading.Page.Rows.Select(r => new
                {
                    personId = r.PersonId,
                    name = $"{r.FamilyName} {r.GivenName}",
                    kana = $"{r.FamilyKana} {r.GivenKana}",
                    age = r.Age,
                    school = d.Allows(DataCategory.Education) ? r.School : Disclosure.Disclosure.MaskText,
                    needs = r.Needs.Select(n => d.Shows(n.Signals)
                        ? new { difficulty = n.Difficulty, label = Labels.Difficulty(ui, n.Difficulty), band = n.Band, bandLabel = Labels.Band(ui, n.Band), bandMeaning = Labels.BandMeaning(ui, n.Band), masked = false }
                        : new { difficulty = Mask, label = Mask, band = Mask, bandLabel = Mask, bandMeaning = Mask, masked = true }),
                    judgement = !reading.ShowsJudgements ? null : new
                    {
                        decision = r.Judgement.Decision,
                        decidedAt = r.Judgement.DecidedAt,
                        onAgenda = r.Judgement.OnAgenda,
                        registeredWithYotaikyo = WorklistPages.TracksYotaikyo(d) ? r.Judgement.RegisteredWithYotaikyo : (bool?)null,
                        label = WorklistPages.JudgementText(ui, r.Judgement, WorklistPages.TracksYotaikyo(d)),
                    },
                    reasons = r.TopReasons.Select(x => d.Shows(x.Signal)
                        ? new { difficulty = x.Difficulty, text = ui.T(x.Signal.Ja, x.Signal.En), masked = false }
                        : new { difficulty = x.Difficulty, text = Disclosure.Disclosure.MaskText, masked = true }),
                }),
            });
        }).RequireAuthorization();
        return app;
    }
}
