using Dapper;
using Mimamori.Storage.Connection;

namespace Mimamori.Storage.Reading;

/// <summary>A membership of one of the person's households, and who else was in it and when.</summary>
public sealed record HouseholdPeriod(string HouseholdNo, string Relation, DateOnly? From, DateOnly? To, string? EndedBy, bool Current, IReadOnlyList<HouseholdCoMember> Members);

/// <summary>Another member of the household during the shared period, with the relation the registry gives between the two.</summary>
/// <param name="Link"><c>guardian</c> (the member is the person's guardian), <c>ward</c> (the person is the member's), <c>sibling</c>, or null.</param>
public sealed record HouseholdCoMember(long PersonId, string FamilyName, string GivenName, string Relation, DateOnly? BirthDate, DateOnly? From, DateOnly? To, string? Link);

/// <summary>A person's households over time (<c>household_membership</c>, <c>person_relation</c>), for the child page and <c>explain</c>.</summary>
public static class HouseholdHistoryQuery
{
    public static IReadOnlyList<HouseholdPeriod> Of(MimamoriDatabase database, long personId)
    {
        ArgumentNullException.ThrowIfNull(database);
        using var connection = database.Open();
        var own = connection.Query<(string HouseholdNo, string Relation, string? From, string? To, string? EndedBy, long Current)>(
            "SELECT household_no, relation, from_date, to_date, ended_by, is_current FROM household_membership WHERE person_id = @personId ORDER BY from_date, membership_id",
            new { personId }).ToList();
        var links = connection.Query<(long PersonId, long Other, string Kind, string HouseholdNo)>(
            "SELECT person_id, other_person_id, kind, household_no FROM person_relation WHERE person_id = @personId OR other_person_id = @personId",
            new { personId }).ToList();
        var periods = new List<HouseholdPeriod>();
        foreach (var m in own)
        {
            var members = connection.Query<(long PersonId, string FamilyName, string GivenName, string Relation, string? BirthDate, string? From, string? To)>(
                """
                SELECT h.person_id, p.family_name, p.given_name, h.relation, p.birth_date, h.from_date, h.to_date
                FROM household_membership h JOIN person p ON p.person_id = h.person_id
                WHERE h.household_no = @household AND h.person_id <> @personId
                ORDER BY p.birth_date, h.person_id
                """,
                new { household = m.HouseholdNo, personId })
                .Select(x => new HouseholdCoMember(
                    x.PersonId, x.FamilyName, x.GivenName, x.Relation, StoredValues.Date(x.BirthDate), StoredValues.Date(x.From), StoredValues.Date(x.To),
                    Link(links, personId, x.PersonId, m.HouseholdNo)))
                .ToList();
            periods.Add(new HouseholdPeriod(m.HouseholdNo, m.Relation, StoredValues.Date(m.From), StoredValues.Date(m.To), m.EndedBy, m.Current != 0, members));
        }

        return periods;
    }

    private static string? Link(List<(long PersonId, long Other, string Kind, string HouseholdNo)> links, long self, long other, string household)
    {
        foreach (var l in links.Where(l => l.HouseholdNo == household))
        {
            if (l.Kind == "sibling" && ((l.PersonId == self && l.Other == other) || (l.PersonId == other && l.Other == self)))
            {
                return "sibling";
            }

            if (l.Kind == "guardian" && l.PersonId == other && l.Other == self)
            {
                return "guardian";
            }

            if (l.Kind == "guardian" && l.PersonId == self && l.Other == other)
            {
                return "ward";
            }
        }

        return null;
    }
}
