using System.Globalization;
using Dapper;
using Mimamori.Linkage.Households;
using Mimamori.Storage.Connection;

namespace Mimamori.Storage.Pipeline;

/// <summary>Counts of a household rebuild, printed by the link stage.</summary>
public sealed record HouseholdHistoryCounts(int Memberships, int Persons, int PersonsInSeveralHouseholds, int Guardians, int Siblings);

/// <summary>
/// Rebuilds household membership over time and the relations of members from the registry rows of the linked persons
/// (<see cref="HouseholdHistory"/>); run after every link, since person ids and links may have changed.
/// </summary>
public static class HouseholdHistoryStore
{
    public static HouseholdHistoryCounts Rebuild(MimamoriDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        using var connection = database.OpenForBulk();
        // Read on the connection's handle with each distinct text kept once: at a city of a million residents these
        // are millions of rows, and the general-purpose reader makes a string of every column of every row.
        var facts = new Dictionary<long, (string? Event, string? Date)>();
        using (var factRows = new TextRows(connection, """
            SELECT f.record_id, f.kind, f.fact_date, f.value_text FROM fact f JOIN source_record r ON r.record_id = f.record_id
            WHERE r.category = 'resident' AND f.kind IN ('resident.event', 'resident.since')
            """))
        {
            while (factRows.Read())
            {
                var date = factRows.Text(2);
                facts[factRows.Int64(0)] = factRows.Text(1) == "resident.event" ? (factRows.Text(3) ?? string.Empty, date) : (null, date ?? factRows.Text(3));
            }
        }

        var observations = new List<RegistryObservation>();
        using (var registry = new TextRows(connection, """
            SELECT l.person_id, r.record_id, r.atena_no, r.household_no, r.relation, r.birth_date
            FROM person_record l JOIN source_record r ON r.record_id = l.record_id JOIN import_batch b ON b.batch_id = r.batch_id
            WHERE r.category = 'resident' AND b.status IN ('current', 'delta')
            """))
        {
            while (registry.Read())
            {
                var recordId = registry.Int64(1);
                var (ev, date) = facts.GetValueOrDefault(recordId);
                observations.Add(new RegistryObservation(
                    registry.Int64(0), recordId, registry.Text(2) ?? string.Empty, registry.Text(3) ?? string.Empty, registry.Text(4) ?? string.Empty,
                    ev, Date(date), Date(registry.Text(5)), ev is null));
            }
        }

        var memberships = HouseholdHistory.Memberships(observations);
        var birthOf = new Dictionary<long, DateOnly>();
        foreach (var o in observations)
        {
            if (o.BirthDate is { } b)
            {
                birthOf.TryAdd(o.PersonId, b);
            }
        }

        var relations = HouseholdHistory.Relations(memberships, birthOf);

        using var tx = connection.BeginTransaction();
        connection.Execute("DELETE FROM household_membership; DELETE FROM person_relation;", transaction: tx);
        using (var m = new BulkWriter(connection, tx, "household_membership", ["membership_id", "person_id", "household_no", "relation", "from_date", "to_date", "ended_by", "is_current", "record_id"]))
        using (var rel = new BulkWriter(connection, tx, "person_relation", ["person_id", "other_person_id", "kind", "household_no", "from_date", "to_date"]))
        {
            var id = 1L;
            foreach (var x in memberships)
            {
                m.Write(id++, x.PersonId, x.HouseholdNo, x.Relation, Text(x.From), Text(x.To), x.EndedBy, x.Current ? 1L : 0L, x.RecordId);
            }

            foreach (var r in relations)
            {
                rel.Write(r.PersonId, r.OtherPersonId, r.Kind, r.HouseholdNo, Text(r.From), Text(r.To));
            }

            m.Complete();
            rel.Complete();
        }

        tx.Commit();
        var perPerson = memberships.GroupBy(x => x.PersonId).ToList();
        return new HouseholdHistoryCounts(
            memberships.Count, perPerson.Count, perPerson.Count(g => g.Select(x => x.HouseholdNo).Distinct().Count() > 1),
            relations.Count(r => r.Kind == "guardian"), relations.Count(r => r.Kind == "sibling"));
    }

    private static DateOnly? Date(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private static string? Text(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
