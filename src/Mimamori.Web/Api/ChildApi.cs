using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Mimamori.Privacy.Access;
using Mimamori.Storage.Reading;
using Mimamori.Web.Rendering;
using Mimamori.Web.Security;

namespace Mimamori.Web.Api;

/// <summary>
/// <c>GET /api/children/{id}</c>: the child view as JSON. Withheld values are the string ＊＊＊ and listed under
/// <c>masked</c>, so a client cannot mistake "withheld" for "empty".
/// </summary>
public static class ChildApi
{
    private const string Mask = Disclosure.Disclosure.MaskText;

    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapChildApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/children/{id:long}", (long id, HttpContext http, AccessPolicy policy, ChildQuery query, AccessAudit audit, TimeProvider clock) =>
        {
            var ui = Ui.For(http);
            var reading = ChildPages.Read(http, ui.User!, id, policy, query, audit, clock);
            return reading.Outcome switch
            {
                ChildPages.Outcome.Forbidden => Results.Json(new { error = "your role may not see children's data for this purpose" }, statusCode: StatusCodes.Status403Forbidden),
                ChildPages.Outcome.NotFound => Results.Json(new { error = "no such person, or outside your scope" }, statusCode: StatusCodes.Status404NotFound),
                _ => Results.Json(Body(ui, reading.Disclosure, reading.View!)),
            };
        }).RequireAuthorization();
        return app;
    }

    private static object Body(Ui ui, Disclosure.Disclosure d, ChildView v)
    {
        var p = v.Person;
        var resident = d.Allows(DataCategory.Resident);
        var masked = new List<string>();
        if (!resident)
        {
            masked.AddRange(["sex", "address", "atenaNo", "householdNo", "household"]);
        }

        if (!d.Allows(DataCategory.Education))
        {
            masked.Add("school");
        }

        return new
        {
            purpose = d.Purpose,
            person = new
            {
                id = p.PersonId,
                name = $"{p.FamilyName} {p.GivenName}",
                kana = $"{p.FamilyKana} {p.GivenKana}",
                birthDate = p.BirthDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                age = p.Age,
                sex = resident ? p.Sex : Mask,
                address = resident ? p.Address : Mask,
                atenaNo = resident ? p.AtenaNo : Mask,
                householdNo = resident ? p.HouseholdNo : Mask,
                school = d.Allows(DataCategory.Education) ? v.School : Mask,
            },
            masked,
            withheldCategories = d.Policy.Categories.Where(c => !d.Decision(c.Id).IsVisible).Select(c => c.Id),
            household = resident
                ? v.Household.Select(m => new { personId = m.PersonId, name = $"{m.FamilyName} {m.GivenName}", relation = m.Relation, birthDate = m.BirthDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), age = m.Age })
                : null,
            needs = d.ShowsNeeds
                ? v.Needs.Select(n => !d.Shows(n.Signals) ? (object)new { difficulty = Mask, masked = true } : new
                {
                    difficulty = n.Difficulty,
                    label = Labels.Difficulty(ui, n.Difficulty),
                    band = n.Band,
                    bandLabel = Labels.Band(ui, n.Band),
                    bandMeaning = Labels.BandMeaning(ui, n.Band),
                    reasons = n.Signals.Select(s => d.Shows(s)
                        ? (object)new
                        {
                            rule = s.Rule,
                            text = ui.T(s.Ja, s.En),
                            masked = false,
                            evidence = s.Evidence.Select(e => new { source = e.Source, category = e.Category, date = e.Date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), value = e.Value, recordId = e.RecordId }),
                        }
                        : new { rule = Mask, text = Mask, masked = true }),
                    masked = false,
                    missing = n.Missing,
                    modelVersion = n.ModelVersion,
                })
                : null,
            timeline = v.Timeline.Where(f => d.Decision(f.Category).IsVisible).Select(f => new
            {
                date = f.Date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                category = f.Category,
                kind = f.Kind,
                value = d.Allows(f.Category) ? f.ValueText ?? f.ValueNum?.ToString(CultureInfo.InvariantCulture) : Mask,
                recordId = f.RecordId,
                source = f.Source,
            }),
            records = v.Records.Where(r => d.Decision(r.Category).IsVisible).Select(r => new
            {
                recordId = r.RecordId,
                source = r.Source,
                category = r.Category,
                file = r.File,
                line = r.Line,
                method = r.Method,
                weight = r.Weight,
                original = d.Allows(r.Category) ? r.Original.ToDictionary(kv => kv.Key, kv => kv.Value) : r.Original.ToDictionary(kv => kv.Key, _ => (string?)Mask),
            }),
        };
    }
}
