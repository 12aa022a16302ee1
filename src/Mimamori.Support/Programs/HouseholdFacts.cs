using Mimamori.Needs.Indicators;

namespace Mimamori.Support.Programs;

/// <summary>A household member with age and facts, as eligibility rules see them.</summary>
/// <param name="Grade">School grade by age cohort at the reference date (1–9 for 小1–中3), or null without a birth date.</param>
public sealed record MemberFacts(long PersonId, int Age, int? Grade, string Relation, IReadOnlyList<FactItem> Facts);

/// <summary>A registry household (世帯) and its members.</summary>
public sealed record HouseholdFacts(string HouseholdNo, IReadOnlyList<MemberFacts> Members);
