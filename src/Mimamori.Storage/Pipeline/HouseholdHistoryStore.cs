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
        // are millions of rows, and the general-purpose reader makes a string of every column of every row. One pass
        // over the records brings each registry row with its movement facts (a row per fact; a record without one
        // comes once with nulls), since a pass over all source records is most of the cost.
        var rows = new List<(long PersonId, long RecordId, string? AtenaNo, string? HouseholdNo, string? Relation, string? BirthDate, string? Event, string? Date)>();
        var rowOf = new Dictionary<long, int>();
        using (var registry = new TextRows(connection, """
            SELECT l.person_id, r.record_id, r.atena_no, r.household_no, r.relation, r.birth_date, f.kind, f.fact_date, f.value_text
            FROM source_record r JOIN import_batch b ON b.batch_id = r.batch_id JOIN person_record l ON l.record_id = r.record_id
            LEFT JOIN fact f ON f.record_id = r.record_id AND f.kind IN ('resident.event', 'resident.since')
            WHERE r.category = 'resident' AND b.status IN ('current', 'delta')
            """))
        {
            while (registry.Read())
            {
                var recordId = registry.Int64(1);
                if (!rowOf.TryGetValue(recordId, out var i))
                {
                    i = rows.Count;
                    rowOf[recordId] = i;
                    rows.Add((registry.Int64(0), recordId, registry.Text(2), registry.Text(3), registry.Text(4), registry.Text(5), null, null));
                }

                // Of several movement facts of one record the last read counts.
                if (registry.Text(6) is { } kind)
                {
                    var row = rows[i];
                    var date = registry.Text(7);
                    (row.Event, row.Date) = kind == "resident.event" ? (registry.Text(8) ?? string.Empty, date) : (null, date ?? registry.Text(8));
                    rows[i] = row;
                }
            }
        }

        var observations = rows.ConvertAll(o => new RegistryObservation(
            o.PersonId, o.RecordId, o.AtenaNo ?? string.Empty, o.HouseholdNo ?? string.Empty, o.Relation ?? string.Empty,
            o.Event, Date(o.Date), Date(o.BirthDate), o.Event is null));
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
