namespace Mimamori.Linkage.Households;

/// <summary>
/// One registry row of a linked person: a snapshot row (the household the registry holds the person in now, with the
/// day they became a resident) or a movement row (住民異動: the event, its day and the household named on it).
/// </summary>
/// <param name="Event">The movement (<c>move_in</c>, <c>birth</c>, <c>move_out</c>, <c>death</c>, ...), null on a snapshot row.</param>
/// <param name="Date">The movement's day, or on a snapshot row the day the person became a resident.</param>
public sealed record RegistryObservation(
    long PersonId, long RecordId, string AtenaNo, string HouseholdNo, string Relation, string? Event, DateOnly? Date, DateOnly? BirthDate, bool Snapshot);

/// <summary>A person's membership of a household (世帯) over a period; an open end is null (before the data, or still).</summary>
/// <param name="EndedBy">The movement that ended it (<c>move_out</c>, <c>death</c>), or <c>next_household</c>.</param>
/// <param name="RecordId">The registry row it rests on (the snapshot row, or the latest movement row).</param>
public sealed record HouseholdMembership(long PersonId, string HouseholdNo, string Relation, DateOnly? From, DateOnly? To, string? EndedBy, long RecordId, bool Current);

/// <summary>A relation between two persons during the time they shared a household.</summary>
/// <param name="Kind"><c>guardian</c> (the person is a guardian of the other, a minor during the period) or <c>sibling</c>.</param>
public sealed record PersonRelation(long PersonId, long OtherPersonId, string Kind, string HouseholdNo, DateOnly? From, DateOnly? To);

/// <summary>
/// Household membership over time from the resident registry: the snapshot and the movements are read per person and
/// 宛名番号, so a child who lived here before under another number, or moved between households, has one membership
/// per household with its dates. Guardian–child and sibling relations are derived from the 続柄 of members who shared
/// a household at the same time; they are what the registry says, not a finding about the family.
/// </summary>
public static class HouseholdHistory
{
    private static readonly HashSet<string> Starts = new(["move_in", "birth"], StringComparer.Ordinal);
    private static readonly HashSet<string> Ends = new(["move_out", "erasure", "death"], StringComparer.Ordinal);

    public static IReadOnlyList<HouseholdMembership> Memberships(IEnumerable<RegistryObservation> observations)
    {
        ArgumentNullException.ThrowIfNull(observations);
        var result = new List<HouseholdMembership>();
        foreach (var person in observations.Where(o => o.HouseholdNo.Length > 0).GroupBy(o => o.PersonId))
        {
            if (person.Count() == 1)
            {
                // Most residents have one registry row: the general case below reduces to this, without its groupings.
                var only = person.First();
                var ended = !only.Snapshot && only.Event is { } e && Ends.Contains(e);
                result.Add(new HouseholdMembership(person.Key, only.HouseholdNo, only.Relation, only.Date, ended ? only.Date : null, ended ? only.Event : null, only.RecordId, only.Snapshot));
                continue;
            }

            var spells = new List<HouseholdMembership>();
            var householdsOfNumber = person.GroupBy(o => o.AtenaNo).ToDictionary(g => g.Key, g => g.Select(o => o.HouseholdNo).Distinct(StringComparer.Ordinal).Count(), StringComparer.Ordinal);
            foreach (var spell in person.GroupBy(o => (o.AtenaNo, o.HouseholdNo)))
            {
                var snapshot = spell.Where(o => o.Snapshot).OrderBy(o => o.RecordId).LastOrDefault();
                var events = spell.Where(o => !o.Snapshot).OrderBy(o => o.Date ?? DateOnly.MinValue).ThenBy(o => o.RecordId).ToList();
                // A move in or a birth starts a membership. Without one, the day the person became a resident does
                // when this is their only household under the number; otherwise the first movement naming this
                // household is the latest day they can have joined it (a change of household within the city).
                var start = events.Where(o => o.Event is { } e && Starts.Contains(e)).Select(o => o.Date).Where(d => d is not null).Min();
                var firstEvent = events.Select(o => o.Date).Where(d => d is not null).Min();
                var from = start ?? (householdsOfNumber[spell.Key.AtenaNo] == 1 ? snapshot?.Date ?? firstEvent : firstEvent ?? snapshot?.Date);
                var end = snapshot is null ? events.LastOrDefault(o => o.Event is { } e && Ends.Contains(e)) : null;
                var evidence = snapshot ?? events[^1];
                spells.Add(new HouseholdMembership(person.Key, spell.Key.HouseholdNo, evidence.Relation, from, end?.Date, end?.Event, evidence.RecordId, snapshot is not null));
            }

            // A household left without a recorded movement ends where the next one begins.
            spells.Sort((a, b) => (a.From ?? DateOnly.MinValue).CompareTo(b.From ?? DateOnly.MinValue));
            for (var i = 0; i < spells.Count - 1; i++)
            {
                if (spells[i].To is null && !spells[i].Current && spells[i + 1].From is { } next)
                {
                    spells[i] = spells[i] with { To = next, EndedBy = "next_household" };
                }
            }

            result.AddRange(spells);
        }

        return result;
    }

    /// <summary>Guardian–child and sibling relations of members whose memberships of one household overlap.</summary>
    /// <param name="birthOf">Each person's birth date, to tell whether the child was a minor while they lived together.</param>
    public static IReadOnlyList<PersonRelation> Relations(IReadOnlyList<HouseholdMembership> memberships, IReadOnlyDictionary<long, DateOnly> birthOf)
    {
        ArgumentNullException.ThrowIfNull(memberships);
        ArgumentNullException.ThrowIfNull(birthOf);
        var relations = new List<PersonRelation>();
        foreach (var household in memberships.GroupBy(m => m.HouseholdNo))
        {
            var members = household.OrderBy(m => m.PersonId).ToList();
            for (var i = 0; i < members.Count; i++)
            {
                for (var j = 0; j < members.Count; j++)
                {
                    var (a, b) = (members[i], members[j]);
                    if (a.PersonId == b.PersonId || Overlap(a, b) is not { } period)
                    {
                        continue;
                    }

                    if (IsGuardianOf(a.Relation, b.Relation) && WasMinor(birthOf, b.PersonId, period.From, period.To))
                    {
                        relations.Add(new PersonRelation(a.PersonId, b.PersonId, "guardian", household.Key, period.From, period.To));
                    }
                    else if (a.PersonId < b.PersonId && AreSiblings(a.Relation, b.Relation))
                    {
                        relations.Add(new PersonRelation(a.PersonId, b.PersonId, "sibling", household.Key, period.From, period.To));
                    }
                }
            }
        }

        return relations;
    }

    // 続柄 are relative to the head of the household: the head and spouse are the children's parents, a child and a
    // child-in-law are the grandchildren's.
    private static bool IsGuardianOf(string guardian, string child) =>
        (child == "child" && guardian is "head" or "spouse") || (child == "grandchild" && guardian is "child" or "child_in_law");

    private static bool AreSiblings(string a, string b) =>
        (a == b && a is "child" or "grandchild") || (a, b) is ("head", "sibling") or ("sibling", "head") || (a == "sibling" && b == "sibling");

    private static bool WasMinor(IReadOnlyDictionary<long, DateOnly> birthOf, long person, DateOnly? from, DateOnly? to) =>
        birthOf.TryGetValue(person, out var birth) && (from is null || birth.AddYears(18) > from) && (to is null || birth < to);

    /// <summary>The period two memberships share (open ends are null), or null when they do not meet.</summary>
    private static (DateOnly? From, DateOnly? To)? Overlap(HouseholdMembership a, HouseholdMembership b)
    {
        var from = Max(a.From, b.From);
        var to = Min(a.To, b.To);
        return from is { } f && to is { } t && f >= t ? null : (from, to);
    }

    private static DateOnly? Max(DateOnly? a, DateOnly? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static DateOnly? Min(DateOnly? a, DateOnly? b) => a is null ? b : b is null ? a : a < b ? a : b;
}
