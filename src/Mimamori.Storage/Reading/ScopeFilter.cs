using Dapper;
using Mimamori.Privacy.Access;
using Mimamori.Storage.Connection;

namespace Mimamori.Storage.Reading;

/// <summary>
/// The SQL condition that limits a query to the children a user's scope reaches, applied in the database so rows
/// outside the scope are never read into the application at all.
/// </summary>
internal static class ScopeFilter
{
    /// <summary>A condition on <c>p.person_id</c> (alias <c>p</c> for person); adds its parameters to <paramref name="args"/>.</summary>
    public static string Condition(Scope scope, IReadOnlyList<string>? departmentCategories, DynamicParameters args)
    {
        switch (scope.Kind)
        {
            case ScopeKind.All:
                return "1 = 1";
            case ScopeKind.OwnSchool:
                args.Add("scopeSchool", scope.School);
                return LatestSchoolIs("scopeSchool");
            case ScopeKind.OwnDepartment when departmentCategories is { Count: > 0 }:
                return "EXISTS (SELECT 1 FROM person_record dpr JOIN source_record dsr ON dsr.record_id = dpr.record_id " +
                       "WHERE dpr.person_id = p.person_id AND dsr.category IN " + SqlLists.Texts(departmentCategories) + ")";
            case ScopeKind.OwnCases when !string.IsNullOrEmpty(scope.Holder):
                args.Add("scopeHolder", scope.Holder);
                return "EXISTS (SELECT 1 FROM case_assignment sca WHERE sca.person_id = p.person_id AND sca.user_name = @scopeHolder AND sca.ended_at IS NULL)";
            default:
                // Anything else (none, an own_cases scope not tied to its user) reaches nobody rather than everybody.
                return "1 = 0";
        }
    }

    /// <summary>A condition on <c>p.person_id</c>: the child's latest school is the parameter <paramref name="parameter"/>.</summary>
    public static string LatestSchoolIs(string parameter) =>
        "EXISTS (SELECT 1 FROM person_record spr JOIN fact sf ON sf.record_id = spr.record_id " +
        "WHERE spr.person_id = p.person_id AND sf.kind = 'school.name' AND sf.value_text = @" + parameter + " AND " + NoLaterSchool + ")";

    // "Latest" = greatest fact_date, ties broken by record id, the same order ChildQuery uses to show the school.
    private const string NoLaterSchool =
        "NOT EXISTS (SELECT 1 FROM person_record lpr JOIN fact lf ON lf.record_id = lpr.record_id " +
        "WHERE lpr.person_id = p.person_id AND lf.kind = 'school.name' AND " +
        "(COALESCE(lf.fact_date, '') > COALESCE(sf.fact_date, '') OR (COALESCE(lf.fact_date, '') = COALESCE(sf.fact_date, '') AND lf.record_id > sf.record_id)))";
}
