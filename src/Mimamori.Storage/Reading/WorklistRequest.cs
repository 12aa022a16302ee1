using Mimamori.Privacy.Access;

namespace Mimamori.Storage.Reading;

/// <summary>A worklist page request.</summary>
/// <param name="Scope">Which children the user may see.</param>
/// <param name="Today">Reference day for ages.</param>
/// <param name="Difficulty">Only children with this difficulty (above none); null for all.</param>
/// <param name="Band">Only children with this band (for the difficulty, if given); null for any band above none.</param>
/// <param name="Page">1-based page.</param>
/// <param name="PageSize">Rows per page (1..200).</param>
/// <param name="DepartmentCategories">For <see cref="ScopeKind.OwnDepartment"/>: the categories that define the department's children.</param>
/// <param name="Status">Only children at this judgement stage (<see cref="Judgement.JudgementStatus"/>); null for any.</param>
/// <param name="Yotaikyo">Only children registered with 要対協 or not (<see cref="Casework.YotaikyoFilter"/>); null for any.</param>
/// <param name="School">Only children whose latest school is this; null for any.</param>
/// <param name="Area">Only children whose registry address is in this 町丁目 (<see cref="DashboardQuery.Area"/>); null for any.</param>
/// <param name="MinAge">Only children at least this old on <paramref name="Today"/>; null for no lower bound.</param>
/// <param name="MaxAge">Only children at most this old on <paramref name="Today"/>; null for no upper bound.</param>
/// <param name="Sort">One of <see cref="WorklistSort"/>; null for priority.</param>
/// <param name="Assigned">One of <see cref="WorklistAssigned"/>: the children assigned to <paramref name="AssignedTo"/>, to anyone, or to no one; null for any.</param>
/// <param name="AssignedTo">The user whose assignments <see cref="WorklistAssigned.Mine"/> means.</param>
public sealed record WorklistRequest(
    Scope Scope,
    DateOnly Today,
    string? Difficulty = null,
    string? Band = null,
    int Page = 1,
    int PageSize = 50,
    IReadOnlyList<string>? DepartmentCategories = null,
    string? Status = null,
    string? Yotaikyo = null,
    string? School = null,
    string? Area = null,
    int? MinAge = null,
    int? MaxAge = null,
    string? Sort = null,
    string? Assigned = null,
    string? AssignedTo = null);

/// <summary>
/// The worklist's filter on case assignments (担当者): a caseworker's own cases, children someone is assigned to, or
/// children no one is assigned to yet — the last is how a supervisor finds whom to assign.
/// </summary>
public static class WorklistAssigned
{
    public const string Mine = "mine";

    public const string Any = "any";

    public const string None = "none";

    public static IReadOnlyList<string> All { get; } = [Mine, Any, None];

    /// <summary>A condition on <c>p.person_id</c> for the filter, adding its parameter; null for an unknown value.</summary>
    internal static string? Condition(string assigned, string? user, Dapper.DynamicParameters args)
    {
        const string Open = "SELECT 1 FROM case_assignment wca WHERE wca.person_id = p.person_id AND wca.ended_at IS NULL";
        switch (assigned)
        {
            case Mine when !string.IsNullOrEmpty(user):
                args.Add("assignedTo", user);
                return "EXISTS (" + Open + " AND wca.user_name = @assignedTo)";
            case Any:
                return "EXISTS (" + Open + ")";
            case None:
                return "NOT EXISTS (" + Open + ")";
            default:
                return null;
        }
    }
}

/// <summary>The orders the worklist can be read in.</summary>
public static class WorklistSort
{
    /// <summary>Highest band first, then highest score (the default: who to look at first).</summary>
    public const string Priority = "priority";

    /// <summary>By reading (family, then given name), as paper files are kept.</summary>
    public const string Kana = "kana";

    /// <summary>Youngest first.</summary>
    public const string Youngest = "youngest";

    /// <summary>Oldest first.</summary>
    public const string Oldest = "oldest";

    /// <summary>All orders, the default first.</summary>
    public static IReadOnlyList<string> All { get; } = [Priority, Kana, Youngest, Oldest];
}
