using System.Data.Common;
using System.Globalization;
using Dapper;
using Mimamori.Linkage.Households;
using Mimamori.Storage.Connection;

namespace Mimamori.Storage.Pipeline;

/// <summary>Counts of a household rebuild, printed by the link stage.</summary>
public sealed record HouseholdHistoryCounts(int Memberships, int Persons, int PersonsInSeveralHouseholds, int Guardians, int Siblings);

/// <summary>What a household update did: every household rebuilt, or only those of the persons a link changed.</summary>
/// <param name="Full">Every membership and relation was rewritten; <paramref name="Reason"/> says why when an update was asked for.</param>
/// <param name="Persons">Persons whose memberships were recomputed (every linked person in a full rebuild).</param>
/// <param name="Households">Households whose relations were recomputed (every household in a full rebuild).</param>
public sealed record HouseholdHistoryUpdate(bool Full, string? Reason, int Persons, int Households, HouseholdHistoryCounts Counts);

/// <summary>
/// Rebuilds household membership over time and the relations of members from the registry rows of the linked persons
/// (<see cref="HouseholdHistory"/>); run after every link, since person ids and links may have changed. A full link
/// rebuilds every household; a night's link updates only the persons it changed (<see cref="Update"/>).
/// </summary>
public static class HouseholdHistoryStore
{
    private const string RegistryRows = """
        SELECT l.person_id, r.record_id, r.atena_no, r.household_no, r.relation, r.birth_date, f.kind, f.fact_date, f.value_text
        FROM source_record r JOIN import_batch b ON b.batch_id = r.batch_id JOIN person_record l ON l.record_id = r.record_id
        LEFT JOIN fact f ON f.record_id = r.record_id AND f.kind IN ('resident.event', 'resident.since')
        WHERE r.category = 'resident' AND b.status IN ('current', 'delta')
        """;

    /// <summary>Ids per statement when reading or deleting by a list: well within the statement limits of both databases.</summary>
    private const int Chunk = 2000;

    private static readonly string[] MembershipColumns = ["membership_id", "person_id", "household_no", "relation", "from_date", "to_date", "ended_by", "is_current", "record_id"];
    private static readonly string[] RelationColumns = ["person_id", "other_person_id", "kind", "household_no", "from_date", "to_date"];

    public static HouseholdHistoryCounts Rebuild(MimamoriDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        using var connection = database.OpenForBulk();
        // What the rows will reflect: read before the records, so that a later link is never taken as seen.
        var generation = LatestGeneration(connection, null);
        var observations = Observations(connection, null);
        var memberships = HouseholdHistory.Memberships(observations);
        var relations = HouseholdHistory.Relations(memberships, BirthOf(observations));

        using var tx = connection.BeginTransaction();
        connection.Execute("DELETE FROM household_membership; DELETE FROM person_relation;", transaction: tx);
        Write(connection, tx, memberships, relations, 1);
        var counts = Tally(memberships, Kinds(relations));
        Seen(connection, tx, generation, counts);
        tx.Commit();
        return counts;
    }

    /// <summary>
    /// Brings households over time up to the latest link generation by recomputing only what the links since the
    /// generation they reflect changed: a person's memberships rest only on its own registry rows, so the persons listed
    /// as changed (<see cref="PersonChanges"/>) get theirs recomputed, and the relations of every household any of them
    /// was or is in are recomputed from the stored memberships of the other members with the new ones. Falls back to
    /// <see cref="Rebuild"/> when the store cannot say what changed (no generation reflected yet, a purge, a first link,
    /// generations no longer kept).
    /// </summary>
    public static HouseholdHistoryUpdate Update(MimamoriDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        State? state;
        using (var c = database.Open())
        {
            state = c.QueryFirstOrDefault<State>(
                "SELECT generation AS Generation, memberships AS Memberships, persons AS Persons, persons_in_several AS Several, guardians AS Guardians, siblings AS Siblings FROM household_history_state");
        }

        var changes = state is not null ? PersonChanges.Since(database, state.Generation) : null;
        var reason = changes is null ? "no generation reflected yet" : changes.All ? "everything changed since the generation reflected" : null;
        if (reason is not null)
        {
            var counts = Rebuild(database);
            return new HouseholdHistoryUpdate(true, reason, counts.Persons, -1, counts);
        }

        using var connection = database.OpenForBulk();
        var persons = changes!.Persons.Order().ToList();
        var changedSet = changes.Persons;
        var observations = new List<RegistryObservation>();
        var stored = new List<HouseholdMembership>();
        foreach (var chunk in persons.Chunk(Chunk))
        {
            var ids = SqlLists.Ids(chunk);
            observations.AddRange(Observations(connection, ids));
            stored.AddRange(StoredMemberships(connection, $"person_id IN {ids}"));
        }

        observations.Sort((a, b) => a.RecordId.CompareTo(b.RecordId));
        var memberships = HouseholdHistory.Memberships(observations);
        var households = stored.Select(m => m.HouseholdNo).Union(memberships.Select(m => m.HouseholdNo)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

        // The other members of those households, as stored, and the birth dates that tell whether a child was a minor.
        var others = new List<HouseholdMembership>();
        foreach (var chunk in households.Chunk(Chunk))
        {
            others.AddRange(StoredMemberships(connection, $"household_no IN {SqlLists.Texts(chunk)}").Where(m => !changedSet.Contains(m.PersonId)));
        }

        var birthOf = BirthOf(observations);
        foreach (var chunk in others.Select(m => m.PersonId).Distinct().Order().Chunk(Chunk))
        {
            var births = connection.Query<(long PersonId, long RecordId, string? BirthDate)>($"""
                SELECT l.person_id, r.record_id, r.birth_date
                FROM person_record l JOIN source_record r ON r.record_id = l.record_id JOIN import_batch b ON b.batch_id = r.batch_id
                WHERE r.category = 'resident' AND b.status IN ('current', 'delta') AND l.person_id IN {SqlLists.Ids(chunk)}
                """);
            foreach (var (personId, _, birthDate) in births.OrderBy(x => x.RecordId))
            {
                if (Date(birthDate) is { } birth)
                {
                    birthOf.TryAdd(personId, birth);
                }
            }
        }

        var relations = HouseholdHistory.Relations([.. others, .. memberships], birthOf);

        using var tx = connection.BeginTransaction();
        var removedKinds = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var chunk in persons.Chunk(Chunk))
        {
            connection.Execute($"DELETE FROM household_membership WHERE person_id IN {SqlLists.Ids(chunk)}", transaction: tx);
        }

        foreach (var chunk in households.Chunk(Chunk))
        {
            var list = SqlLists.Texts(chunk);
            foreach (var (kind, count) in connection.Query<(string Kind, long Count)>($"SELECT kind, COUNT(*) FROM person_relation WHERE household_no IN {list} GROUP BY kind", transaction: tx))
            {
                removedKinds[kind] = removedKinds.GetValueOrDefault(kind) + (int)count;
            }
            connection.Execute($"DELETE FROM person_relation WHERE household_no IN {list}", transaction: tx);
        }

        var nextId = connection.ExecuteScalar<long>("SELECT COALESCE(MAX(membership_id), 0) + 1 FROM household_membership", transaction: tx);
        Write(connection, tx, memberships, relations, nextId);

        // The totals move by what was taken out and put in: the memberships of the changed persons (theirs alone) and
        // the relations of their households. A state written before the totals were kept counts them once.
        HouseholdHistoryCounts totals;
        if (state!.Memberships is { } m && state.Persons is { } p && state.Several is { } several && state.Guardians is { } guardians && state.Siblings is { } siblings)
        {
            var (was, now) = (Tally(stored, removedKinds), Tally(memberships, Kinds(relations)));
            totals = new HouseholdHistoryCounts(
                (int)m - was.Memberships + now.Memberships, (int)p - was.Persons + now.Persons, (int)several - was.PersonsInSeveralHouseholds + now.PersonsInSeveralHouseholds,
                (int)guardians - was.Guardians + now.Guardians, (int)siblings - was.Siblings + now.Siblings);
        }
        else
        {
            totals = Counts(connection, tx);
        }

        Seen(connection, tx, changes.Generation, totals);
        tx.Commit();
        return new HouseholdHistoryUpdate(false, null, persons.Count, households.Count, totals);
    }

    /// <summary>The stored memberships matching an SQL condition on their own columns.</summary>
    private static IEnumerable<HouseholdMembership> StoredMemberships(DbConnection connection, string where) =>
        connection.Query<(long PersonId, string HouseholdNo, string Relation, string? From, string? To, string? EndedBy, long Current, long RecordId)>(
                $"SELECT person_id, household_no, relation, from_date, to_date, ended_by, is_current, record_id FROM household_membership WHERE {where}")
            .Select(m => new HouseholdMembership(m.PersonId, m.HouseholdNo, m.Relation, Date(m.From), Date(m.To), m.EndedBy, m.RecordId, m.Current == 1));

    /// <summary>The figures of some memberships (whole persons' sets of them) and of relations counted by kind.</summary>
    private static HouseholdHistoryCounts Tally(IReadOnlyList<HouseholdMembership> memberships, Dictionary<string, int> relationKinds)
    {
        var perPerson = memberships.GroupBy(x => x.PersonId).ToList();
        return new HouseholdHistoryCounts(
            memberships.Count, perPerson.Count, perPerson.Count(g => g.Select(x => x.HouseholdNo).Distinct(StringComparer.Ordinal).Count() > 1),
            relationKinds.GetValueOrDefault("guardian"), relationKinds.GetValueOrDefault("sibling"));
    }

    private static Dictionary<string, int> Kinds(IEnumerable<PersonRelation> relations) =>
        relations.CountBy(r => r.Kind, StringComparer.Ordinal).ToDictionary(k => k.Key, k => k.Value, StringComparer.Ordinal);

    /// <summary>The row of <c>household_history_state</c>: the generation reflected and the totals then (null when not kept).</summary>
    private sealed record State(long Generation, long? Memberships, long? Persons, long? Several, long? Guardians, long? Siblings);

    /// <summary>The registry rows of linked persons (of the listed ones when <paramref name="personIds"/> is an SQL list), in record order.</summary>
    private static List<RegistryObservation> Observations(DbConnection connection, string? personIds)
    {
        // Read on the connection's handle with each distinct text kept once: at a city of a million residents these
        // are millions of rows, and the general-purpose reader makes a string of every column of every row. One pass
        // over the records brings each registry row with its movement facts (a row per fact; a record without one
        // comes once with nulls), since a pass over all source records is most of the cost.
        var rows = new List<(long PersonId, long RecordId, string? AtenaNo, string? HouseholdNo, string? Relation, string? BirthDate, string? Event, string? Date)>();
        var rowOf = new Dictionary<long, int>();
        using (var registry = new TextRows(connection, personIds is null ? RegistryRows : RegistryRows + $" AND l.person_id IN {personIds}"))
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

        // In record order, whatever order the database returned them in: a full rebuild and an update of a few
        // persons then see each person's rows alike.
        rows.Sort((a, b) => a.RecordId.CompareTo(b.RecordId));
        return rows.ConvertAll(o => new RegistryObservation(
            o.PersonId, o.RecordId, o.AtenaNo ?? string.Empty, o.HouseholdNo ?? string.Empty, o.Relation ?? string.Empty,
            o.Event, Date(o.Date), Date(o.BirthDate), o.Event is null));
    }

    /// <summary>Each person's birth date: that of its earliest registry row that has one.</summary>
    private static Dictionary<long, DateOnly> BirthOf(List<RegistryObservation> observations)
    {
        var birthOf = new Dictionary<long, DateOnly>();
        foreach (var o in observations)
        {
            if (o.BirthDate is { } b)
            {
                birthOf.TryAdd(o.PersonId, b);
            }
        }

        return birthOf;
    }

    private static void Write(DbConnection connection, DbTransaction tx, IReadOnlyList<HouseholdMembership> memberships, IReadOnlyList<PersonRelation> relations, long firstId)
    {
        using var m = new BulkWriter(connection, tx, "household_membership", MembershipColumns);
        using var rel = new BulkWriter(connection, tx, "person_relation", RelationColumns);
        var id = firstId;
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

    private static long LatestGeneration(DbConnection connection, DbTransaction? tx) =>
        connection.ExecuteScalar<long>("SELECT COALESCE(MAX(generation), 0) FROM link_generation", transaction: tx);

    private static void Seen(DbConnection connection, DbTransaction tx, long generation, HouseholdHistoryCounts c)
    {
        connection.Execute("DELETE FROM household_history_state", transaction: tx);
        connection.Execute(
            "INSERT INTO household_history_state (generation, memberships, persons, persons_in_several, guardians, siblings) VALUES (@generation, @m, @p, @s, @g, @sib)",
            new { generation, m = (long)c.Memberships, p = (long)c.Persons, s = (long)c.PersonsInSeveralHouseholds, g = (long)c.Guardians, sib = (long)c.Siblings },
            tx);
    }

    /// <summary>The figures of a full rebuild, counted from the stored rows.</summary>
    private static HouseholdHistoryCounts Counts(DbConnection connection, DbTransaction tx)
    {
        var memberships = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM household_membership", transaction: tx);
        var persons = connection.ExecuteScalar<long>("SELECT COUNT(DISTINCT person_id) FROM household_membership", transaction: tx);
        var several = connection.ExecuteScalar<long>(
            "SELECT COUNT(*) FROM (SELECT person_id FROM household_membership GROUP BY person_id HAVING COUNT(DISTINCT household_no) > 1) s", transaction: tx);
        var kinds = connection.Query<(string Kind, long Count)>("SELECT kind, COUNT(*) FROM person_relation GROUP BY kind", transaction: tx).ToDictionary(k => k.Kind, k => k.Count, StringComparer.Ordinal);
        return new HouseholdHistoryCounts((int)memberships, (int)persons, (int)several, (int)kinds.GetValueOrDefault("guardian"), (int)kinds.GetValueOrDefault("sibling"));
    }

    private static DateOnly? Date(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private static string? Text(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
