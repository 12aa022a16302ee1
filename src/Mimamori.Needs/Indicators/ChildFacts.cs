namespace Mimamori.Needs.Indicators;

/// <summary>A fact about a person as the rules see it: where it came from (source, record) and what it says.</summary>
public sealed record FactItem(string Source, long RecordId, string Kind, DateOnly? Date, string? Text, double? Number);

/// <summary>
/// Everything linked to one child that the rules may look at: the child's own facts, the facts of the household's
/// other members, and which sources hold any record of the child at all (so that silence can be told from absence).
/// </summary>
public sealed record ChildFacts(
    long PersonId,
    DateOnly? BirthDate,
    IReadOnlyList<FactItem> Own,
    IReadOnlyList<FactItem> Household,
    IReadOnlySet<string> SourcesWithRecords,
    IReadOnlySet<string> HouseholdSourcesWithRecords);
