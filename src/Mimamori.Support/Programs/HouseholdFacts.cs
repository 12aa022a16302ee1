using Mimamori.Needs.Indicators;

namespace Mimamori.Support.Programs;

/// <summary>A household member with age and facts, as eligibility rules see them.</summary>
public sealed record MemberFacts(long PersonId, int Age, string Relation, IReadOnlyList<FactItem> Facts);

/// <summary>A registry household (世帯) and its members.</summary>
public sealed record HouseholdFacts(string HouseholdNo, IReadOnlyList<MemberFacts> Members);
