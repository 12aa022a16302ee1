namespace Mimamori.Storage.Reading;

/// <summary>One page of the worklist.</summary>
/// <param name="Total">Children matching the filter in scope.</param>
/// <param name="Page">1-based page number.</param>
/// <param name="PageSize">Rows per page.</param>
/// <param name="Rows">The rows, highest band and score first.</param>
public sealed record WorklistPage(long Total, int Page, int PageSize, IReadOnlyList<WorklistRow> Rows)
{
    /// <summary>Number of pages.</summary>
    public int Pages => (int)Math.Max(1, (Total + PageSize - 1) / PageSize);

    /// <summary>Children matching the filter by their highest band (high, medium, low).</summary>
    public IReadOnlyDictionary<string, long> ByBand { get; init; } = new Dictionary<string, long>(StringComparer.Ordinal);
}

/// <summary>A child on the worklist.</summary>
/// <param name="PersonId">person.person_id.</param>
/// <param name="FamilyName">Family name.</param>
/// <param name="GivenName">Given name.</param>
/// <param name="FamilyKana">Family name reading.</param>
/// <param name="GivenKana">Given name reading.</param>
/// <param name="BirthDate">Birth date.</param>
/// <param name="Age">Age on the request's day.</param>
/// <param name="School">Latest school name.</param>
/// <param name="Needs">Difficulties above none, highest band first.</param>
/// <param name="TopReasons">The heaviest reasons across those difficulties.</param>
/// <param name="Judgement">Where the child stands in the judgement process.</param>
public sealed record WorklistRow(
    long PersonId,
    string FamilyName,
    string GivenName,
    string FamilyKana,
    string GivenKana,
    DateOnly? BirthDate,
    int? Age,
    string? School,
    IReadOnlyList<WorklistNeed> Needs,
    IReadOnlyList<WorklistReason> TopReasons,
    WorklistJudgement Judgement);

/// <summary>The child's current decision (null: none yet), whether a meeting is due to decide, and whether a 要対協 registration is open.</summary>
public sealed record WorklistJudgement(string? Decision, DateTimeOffset? DecidedAt, bool OnAgenda, bool RegisteredWithYotaikyo);

/// <summary>A difficulty, its band and the reasons behind it (so access can be decided per need).</summary>
public sealed record WorklistNeed(string Difficulty, string Band, double Score, IReadOnlyList<NeedSignal> Signals);

/// <summary>A reason shown on the worklist, with the difficulty it supports.</summary>
public sealed record WorklistReason(string Difficulty, NeedSignal Signal);
