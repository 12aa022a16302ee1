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
public sealed record WorklistRequest(
    Scope Scope,
    DateOnly Today,
    string? Difficulty = null,
    string? Band = null,
    int Page = 1,
    int PageSize = 50,
    IReadOnlyList<string>? DepartmentCategories = null,
    string? Status = null,
    string? Yotaikyo = null);
