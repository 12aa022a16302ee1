using System.Data.Common;
using System.Globalization;
using Dapper;
using Mimamori.Kernel.People;
using Mimamori.Linkage.Clustering;
using Mimamori.Linkage.Records;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Identity;

namespace Mimamori.Storage.Pipeline;

/// <summary>Reads the records identity resolution works on and writes its persons, links and households.</summary>
public static class LinkageStore
{
    /// <summary>Rows per batch of keys computed while the load goes on.</summary>
    private const int KeyChunk = 32_768;

    // The columns a save writes; a full link and a night's link write the same rows.
    private static readonly string[] PersonColumns = ["person_id", "family_name", "given_name", "family_kana", "given_kana", "birth_date", "sex", "address", "atena_no", "household_no", "is_child"];
    private static readonly string[] ExplanationColumns = ["explanation_id", "json"];
    private static readonly string[] LinkColumns = ["record_id", "person_id", "method", "weight", "explanation", "explanation_id"];
    private static readonly string[] MemberColumns = ["household_no", "person_id", "relation"];

    private const string RecordColumns = """
        SELECT r.record_id AS RecordId, r.source AS Source, r.category AS Category, r.atena_no AS AtenaNo, r.household_no AS HouseholdNo,
               r.relation AS Relation, r.family_name AS FamilyName, r.given_name AS GivenName, r.family_kana AS FamilyKana,
               r.given_kana AS GivenKana, r.birth_date AS BirthDate, r.sex AS Sex, r.address AS Address, r.local_id AS LocalId,
               r.birth_from AS BirthFrom, r.birth_to AS BirthTo
        """;

    /// <summary>The identity fields of every record of the current imports (a superseded snapshot no longer counts), registry movements with their event.</summary>
    public static IReadOnlyList<LinkRecord> LoadRecords(MimamoriDatabase database)
    {
        using var connection = database.Open();
        var events = RegistryEvents(connection);
        return connection.Query<RecordRow>(
            RecordColumns + """

            FROM source_record r JOIN import_batch b ON b.batch_id = r.batch_id
            WHERE b.status IN ('current', 'delta')
            ORDER BY r.record_id
            """,
            buffered: false).Select(row => ToLinkRecord(row) with { Event = EventOf(events, row.RecordId) }).ToList();
    }

    /// <summary>
    /// The movement (住民異動: event and day) of every registry row that records one: the registry pass joins the
    /// numbers of a resident who moved out and came back by them (<see cref="ReturnedResidents"/>).
    /// </summary>
    private static Dictionary<long, RegistryEvent> RegistryEvents(System.Data.Common.DbConnection connection)
    {
        var events = new Dictionary<long, RegistryEvent>();
        var dates = new Dictionary<string, DateOnly>(StringComparer.Ordinal);
        using var rows = new TextRows(connection, """
            SELECT f.record_id, f.value_text, f.fact_date FROM fact f JOIN source_record r ON r.record_id = f.record_id
            WHERE r.category = 'resident' AND f.kind = 'resident.event' AND f.fact_date IS NOT NULL AND f.value_text IS NOT NULL
            """);
        while (rows.Read())
        {
            var day = rows.Text(2)!;
            if (!dates.TryGetValue(day, out var d))
            {
                d = DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture);
                dates[day] = d;
            }

            events[rows.Int64(0)] = new RegistryEvent(rows.Text(1)!, d);
        }

        return events;
    }

    private static RegistryEvent? EventOf(Dictionary<long, RegistryEvent> events, long recordId) =>
        events.TryGetValue(recordId, out var e) ? e : null;

    /// <summary>
    /// The records of <see cref="LoadRecords(MimamoriDatabase)"/> with each one's stored key (<see cref="RecordKeys"/>),
    /// read in one pass: the link stage needs both, and reading the table twice costs more than hashing.
    /// </summary>
    /// <remarks>
    /// A city has millions of rows but far fewer distinct names, readings, addresses and sources (a pupil has twelve
    /// monthly rows): each distinct text is kept once, which keeps the records of 福岡市 within a few gigabytes, and the
    /// comparisons later find equal texts by reference. The rows are read without an intermediate object per row.
    /// </remarks>
    public static (IReadOnlyList<LinkRecord> Records, Dictionary<long, (string Key, string? RegistryAtena)> Keys) LoadForLinking(MimamoriDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        Dictionary<long, RegistryEvent> events;
        using (var connection = database.OpenForBulk())
        {
            events = RegistryEvents(connection);
        }

        // The records are read as slices of ids side by side, the readers sharing one pool of texts.
        var texts = new TextPool();
        var parts = IdSlices.Read(database, "SELECT MIN(record_id), MAX(record_id) FROM source_record", (connection, from, to) => ReadSlice(connection, texts, events, from, to));
        var records = new List<LinkRecord>(parts.Sum(p => p.Records.Count));
        var keys = new Dictionary<long, (string, string?)>(records.Capacity);
        foreach (var part in parts)
        {
            var i = 0;
            foreach (var hashed in part.Keys)
            {
                foreach (var key in hashed.Result)
                {
                    keys[part.Records[i++].RecordId] = key;
                }
            }

            records.AddRange(part.Records);
        }

        return (records, keys);
    }

    private sealed record Slice(List<LinkRecord> Records, List<Task<(string Key, string? RegistryAtena)[]>> Keys);

    /// <summary>The current records with ids from <paramref name="from"/> to <paramref name="to"/>, in id order; their keys are hashed on other threads a chunk at a time.</summary>
    private static Slice ReadSlice(DbConnection connection, TextPool texts, Dictionary<long, RegistryEvent> events, long from, long to)
    {
        var records = new List<LinkRecord>();
        var dates = new Dictionary<string, DateOnly>(StringComparer.Ordinal);
        var hashing = new List<Task<(string Key, string? RegistryAtena)[]>>();
        var chunk = new List<(LinkRecord Record, string? LocalId, string? BirthDate, string? Sex)>(KeyChunk);
        using (var rows = new TextRows(connection, RecordColumns + string.Create(CultureInfo.InvariantCulture, $"""

                FROM source_record r JOIN import_batch b ON b.batch_id = r.batch_id
                WHERE b.status IN ('current', 'delta') AND r.record_id BETWEEN {from} AND {to}
                ORDER BY r.record_id
                """), texts))
        {
            while (rows.Read())
            {
                var birth = rows.Text(10);
                DateOnly? birthDate = null;
                if (birth is not null)
                {
                    if (!dates.TryGetValue(birth, out var d))
                    {
                        d = DateOnly.ParseExact(birth, "yyyy-MM-dd", CultureInfo.InvariantCulture);
                        dates[birth] = d;
                    }

                    birthDate = d;
                }

                var sex = rows.Text(11);
                var record = new LinkRecord(
                    rows.Int64(0),
                    rows.Text(1)!,
                    rows.Text(2) == "resident",
                    rows.Text(3),
                    rows.Text(4),
                    rows.Text(5),
                    new PersonName(rows.Text(6) ?? string.Empty, rows.Text(7) ?? string.Empty, rows.Text(8) ?? string.Empty, rows.Text(9) ?? string.Empty),
                    birthDate,
                    sex switch { "M" => Sex.Male, "F" => Sex.Female, _ => Sex.Unknown },
                    rows.Text(12))
                {
                    BirthWindow = WindowOf(rows.Text(14), rows.Text(15)),
                    Event = EventOf(events, rows.Int64(0)),
                };
                records.Add(record);
                chunk.Add((record, rows.Text(13), birth, sex));
                if (chunk.Count == KeyChunk)
                {
                    hashing.Add(KeysOfChunk(chunk.ToArray()));
                    chunk.Clear();
                }
            }
        }

        if (chunk.Count > 0)
        {
            hashing.Add(KeysOfChunk(chunk.ToArray()));
        }

        return new Slice(records, hashing);
    }

    private static Task<(string Key, string? RegistryAtena)[]> KeysOfChunk((LinkRecord Record, string? LocalId, string? BirthDate, string? Sex)[] rows) => Task.Run(() =>
    {
        var keys = new (string Key, string? RegistryAtena)[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            var (r, localId, birthDate, sex) = rows[i];
            var n = r.Name;
            // A missing name part is an empty string here and null in the table; the key joins them alike.
            keys[i] = RecordKeys.Entry(r.Source, r.IsRegistry ? "resident" : string.Empty, localId, r.AtenaNo, n.Family, n.Given, n.FamilyKana, n.GivenKana, birthDate, sex);
        }

        return keys;
    });

    /// <summary>The identity fields of the given records, whatever their import's status (a review shows what was compared).</summary>
    public static IReadOnlyDictionary<long, LinkRecord> LoadRecords(MimamoriDatabase database, IEnumerable<long> recordIds)
    {
        ArgumentNullException.ThrowIfNull(recordIds);
        using var connection = database.Open();
        var found = new Dictionary<long, LinkRecord>();
        foreach (var chunk in recordIds.Distinct().Chunk(500))
        {
            foreach (var row in connection.Query<RecordRow>(RecordColumns + " FROM source_record r WHERE r.record_id IN " + SqlLists.Ids(chunk)))
            {
                found[row.RecordId] = ToLinkRecord(row);
            }
        }

        return found;
    }

    /// <summary>The stored birth-date window of a record without a birth date, when its feed spec gave one.</summary>
    private static BirthWindow? WindowOf(string? from, string? to) =>
        from is null || to is null ? null : new BirthWindow(DateOnly.ParseExact(from, "yyyy-MM-dd", CultureInfo.InvariantCulture), DateOnly.ParseExact(to, "yyyy-MM-dd", CultureInfo.InvariantCulture));

    private static LinkRecord ToLinkRecord(RecordRow r) => new(
        r.RecordId,
        r.Source,
        r.Category == "resident",
        r.AtenaNo,
        r.HouseholdNo,
        r.Relation,
        new PersonName(r.FamilyName ?? string.Empty, r.GivenName ?? string.Empty, r.FamilyKana ?? string.Empty, r.GivenKana ?? string.Empty),
        r.BirthDate is null ? null : DateOnly.ParseExact(r.BirthDate, "yyyy-MM-dd", CultureInfo.InvariantCulture),
        r.Sex switch { "M" => Sex.Male, "F" => Sex.Female, _ => Sex.Unknown },
        r.Address)
    {
        BirthWindow = WindowOf(r.BirthFrom, r.BirthTo),
    };

    /// <summary>
    /// Replaces persons, links and households with a new resolution, in one transaction. Staff decisions are applied
    /// first (they override the model); persons keep the ids they had in the last run (<see cref="PersonIds"/>); the
    /// review queue is replaced with the pairs nobody has decided yet.
    /// </summary>
    public static IdentityOutcome Save(MimamoriDatabase database, LinkResult result, DateOnly referenceDate) => Save(database, result, referenceDate, DateTimeOffset.UtcNow);

    /// <inheritdoc cref="Save(MimamoriDatabase, LinkResult, DateOnly)"/>
    public static IdentityOutcome Save(MimamoriDatabase database, LinkResult result, DateOnly referenceDate, DateTimeOffset now) =>
        Save(database, result, referenceDate, now, RecordKeys.Load(database));

    /// <inheritdoc cref="Save(MimamoriDatabase, LinkResult, DateOnly)"/>
    /// <param name="keys">Every current record's key, as <see cref="LoadForLinking"/> gives them.</param>
    /// <param name="onlyChanges">
    /// Write only the persons, household memberships and links that differ from the stored ones (an incremental link,
    /// which changes few), rather than replacing the tables (a full relink, which may change many).
    /// </param>
    /// <param name="storedLinks">With <paramref name="onlyChanges"/>: the stored links as the caller read them just before (the incremental plan), so they are not read again.</param>
    public static IdentityOutcome Save(
        MimamoriDatabase database, LinkResult result, DateOnly referenceDate, DateTimeOffset now, Dictionary<long, (string Key, string? RegistryAtena)> keys, bool onlyChanges = false,
        IReadOnlyDictionary<long, (long PersonId, string Method, double Weight, string Explanation)>? storedLinks = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(keys);
        var decisions = IdentityStore.ForRecords(IdentityStore.Decisions(database), keys, result.Assignments.Select(a => a.RecordId));
        var applied = decisions.Count == 0 ? new ReviewOutcome(result, 0, 0, 0) : ReviewDecisions.Apply(result, LoadRecords(database), decisions);
        result = applied.Result;
        var keysOf = KeysOf(result, keys);

        using var connection = database.OpenForBulk();
        using var tx = connection.BeginTransaction();
        var (previous, stored) = IdentityStore.PreviousKeys(connection, tx, keys);
        var mapping = PersonIds.Assign(keysOf, previous, IdentityStore.NextId(connection, tx));
        // The worklist ranking names persons and their schools as they were: it stands aside until detect rebuilds it.
        connection.Execute(Reading.WorklistRanking.InvalidateSql, transaction: tx);

        var written = onlyChanges ? WriteChanges(connection, tx, result, mapping, referenceDate, now, storedLinks) : Replace(connection, tx, result, mapping, referenceDate, now);

        IdentityStore.Write(connection, tx, mapping, keysOf, stored ? previous : new Dictionary<string, long>(), now);
        IdentityStore.WriteQueue(connection, tx, result.Review, keys, now);
        connection.Execute(
            "INSERT INTO linked_batch (batch_id, linked_at) SELECT batch_id, @at FROM import_batch WHERE status IN ('current', 'delta') AND batch_id NOT IN (SELECT batch_id FROM linked_batch)",
            new { at = now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) },
            tx);
        tx.Commit();
        var before = previous.Values.ToHashSet();
        var kept = mapping.IdOf.Values.Count(before.Contains);
        return new IdentityOutcome(
            result.Persons.Count, kept, result.Persons.Count - kept, mapping.Retired.Count, mapping.Events.Count(e => e.Kind == "merged"), mapping.Events.Count(e => e.Kind == "split"),
            applied.Merged + applied.Split, applied.Contradicted, result.Review.Count)
        {
            Written = written,
        };
    }

    /// <summary>Replaces every person, household membership and link, and records which persons differ from before.</summary>
    private static SavedRows Replace(DbConnection connection, DbTransaction tx, LinkResult result, PersonIdMapping mapping, DateOnly referenceDate, DateTimeOffset now)
    {
        // What the persons were, to record which of them this link changes (detect and outreach reassess only those).
        var personsBefore = PersonChanges.Read(connection, tx);

        long memberRows;

        // What the persons are now, as a read of the table would give them, kept while they are written.
        var personsAfter = new Dictionary<long, (string Row, string? HouseholdNo)>(result.Persons.Count);

        // The secondary indexes are rebuilt once after the load rather than kept up row by row.
        connection.Execute("DELETE FROM person_record; DELETE FROM link_explanation; DELETE FROM household_member; DELETE FROM person; DROP INDEX ix_person_record_person; DROP INDEX ix_person_household; DROP INDEX ix_household_member_household; DROP INDEX ix_household_member_person;", transaction: tx);
        using (var persons = new BulkWriter(connection, tx, "person", PersonColumns))
        using (var explanations = new BulkWriter(connection, tx, "link_explanation", ExplanationColumns))
        using (var links = new BulkWriter(connection, tx, "person_record", LinkColumns))
        using (var members = new BulkWriter(connection, tx, "household_member", MemberColumns))
        {
            foreach (var p in result.Persons)
            {
                var r = p.Representative;
                var id = mapping.IdOf[p.Index];
                var row = RowOf(r, referenceDate);
                WritePerson(persons, id, row);
                string? relation = null;
                if (r.IsRegistry && !string.IsNullOrEmpty(r.HouseholdNo))
                {
                    relation = r.Relation ?? string.Empty;
                    members.Write(r.HouseholdNo, id, relation);
                }

                personsAfter[id] = (PersonChanges.RowText([row.FamilyName, row.GivenName, row.FamilyKana, row.GivenKana, row.BirthDate, row.Sex, row.Address, row.AtenaNo, row.HouseholdNo, row.IsChild, relation]), row.HouseholdNo);
            }

            // In record order, so the primary key's index grows at its end. Each distinct explanation is written once
            // and the link names it; the link's own explanation column (for links written before) is left empty.
            var explanationIds = new LinkExplanations.Writer(explanations);
            foreach (var a in result.Assignments.OrderBy(a => a.RecordId))
            {
                links.Write(a.RecordId, mapping.IdOf[a.Person], a.Method, a.Weight, string.Empty, explanationIds.IdOf(a.Explanation));
            }

            persons.Complete();
            explanations.Complete();
            links.Complete();
            members.Complete();
            memberRows = members.Rows;
        }

        connection.Execute("CREATE INDEX ix_person_record_person ON person_record (person_id); CREATE INDEX ix_person_household ON person (household_no); CREATE INDEX ix_household_member_household ON household_member (household_no); CREATE INDEX ix_household_member_person ON household_member (person_id);", transaction: tx);

        var changed = PersonChanges.Write(connection, tx, personsBefore, personsAfter, PersonChanges.Digest(result.Assignments.Select(a => (a.RecordId, mapping.IdOf[a.Person]))), now);
        return new SavedRows(result.Persons.Count, result.Assignments.Count, memberRows, changed);
    }

    /// <summary>
    /// Writes only what differs from the stored persons, household memberships and links, and records the persons that
    /// differ: those whose row or household membership changed, that appeared or went, or that gained or lost a record.
    /// A link whose person stays but whose weight or explanation changed is rewritten without counting as a change,
    /// since detection and outreach read only which records a person has.
    /// </summary>
    private static SavedRows WriteChanges(
        DbConnection connection, DbTransaction tx, LinkResult result, PersonIdMapping mapping, DateOnly referenceDate, DateTimeOffset now,
        IReadOnlyDictionary<long, (long PersonId, string Method, double Weight, string Explanation)>? known)
    {
        var persons = new Dictionary<long, PersonRow>(result.Persons.Count);
        var members = new Dictionary<long, (string HouseholdNo, string Relation)>();
        foreach (var p in result.Persons)
        {
            var id = mapping.IdOf[p.Index];
            persons[id] = RowOf(p.Representative, referenceDate);
            if (p.Representative is { IsRegistry: true, HouseholdNo: { Length: > 0 } household } r)
            {
                members[id] = (household, r.Relation ?? string.Empty);
            }
        }

        var links = new Dictionary<long, (long PersonId, string Method, double Weight, string Explanation)>(result.Assignments.Count);
        foreach (var a in result.Assignments)
        {
            links[a.RecordId] = (mapping.IdOf[a.Person], a.Method, a.Weight, a.Explanation);
        }

        var storedPersons = connection.Query<StoredPerson>(
            "SELECT person_id AS PersonId, family_name AS FamilyName, given_name AS GivenName, family_kana AS FamilyKana, given_kana AS GivenKana, birth_date AS BirthDate, sex AS Sex, address AS Address, atena_no AS AtenaNo, household_no AS HouseholdNo, is_child AS IsChild FROM person",
            transaction: tx).ToDictionary(p => p.PersonId, p => p.Row);
        var storedMembers = new Dictionary<long, (string HouseholdNo, string Relation)>();
        var doubled = new HashSet<long>();
        foreach (var (personId, household, relation) in connection.Query<(long, string, string)>("SELECT person_id, household_no, relation FROM household_member", transaction: tx))
        {
            if (!storedMembers.TryAdd(personId, (household, relation)))
            {
                doubled.Add(personId);
            }
        }

        var storedLinks = known ?? ReadLinks(connection, tx);

        // The persons whose inputs to detection and outreach differ, with the household each was and is in.
        var changed = new HashSet<long>();
        var personsOut = storedPersons.Where(kv => !persons.TryGetValue(kv.Key, out var next) || next != kv.Value).Select(kv => kv.Key).ToList();
        var personsIn = persons.Where(kv => !storedPersons.TryGetValue(kv.Key, out var was) || was != kv.Value).Select(kv => kv.Key).ToList();
        var membersOut = storedMembers.Where(kv => doubled.Contains(kv.Key) || !members.TryGetValue(kv.Key, out var next) || next != kv.Value).Select(kv => kv.Key).ToList();
        var membersIn = members.Where(kv => doubled.Contains(kv.Key) || !storedMembers.TryGetValue(kv.Key, out var was) || was != kv.Value).Select(kv => kv.Key).ToList();
        var linksOut = storedLinks.Where(kv => !links.TryGetValue(kv.Key, out var next) || next != kv.Value).Select(kv => kv.Key).ToList();
        var linksIn = links.Where(kv => !storedLinks.TryGetValue(kv.Key, out var was) || was != kv.Value).Select(kv => kv.Key).ToList();
        changed.UnionWith(personsOut);
        changed.UnionWith(personsIn);
        changed.UnionWith(membersOut);
        changed.UnionWith(membersIn);
        foreach (var recordId in linksOut.Concat(linksIn))
        {
            var was = storedLinks.TryGetValue(recordId, out var w) ? w.PersonId : (long?)null;
            var next = links.TryGetValue(recordId, out var n) ? n.PersonId : (long?)null;
            if (was != next)
            {
                changed.UnionWith(new[] { was, next }.OfType<long>());
            }
        }

        Delete(connection, tx, "person_record", "record_id", linksOut);
        Delete(connection, tx, "household_member", "person_id", membersOut.Concat(doubled).Distinct());
        Delete(connection, tx, "person", "person_id", personsOut);
        // The explanations already stored keep their ids (the links left as they are name them); a new one is added.
        var storedExplanations = connection.Query<(long, string)>("SELECT explanation_id, json FROM link_explanation", transaction: tx).ToList();
        using (var personWriter = new BulkWriter(connection, tx, "person", PersonColumns))
        using (var explanationWriter = new BulkWriter(connection, tx, "link_explanation", ExplanationColumns))
        using (var linkWriter = new BulkWriter(connection, tx, "person_record", LinkColumns))
        using (var memberWriter = new BulkWriter(connection, tx, "household_member", MemberColumns))
        {
            var explanationIds = new LinkExplanations.Writer(explanationWriter, storedExplanations);
            foreach (var id in personsIn.Order())
            {
                WritePerson(personWriter, id, persons[id]);
            }

            foreach (var recordId in linksIn.Order())
            {
                var l = links[recordId];
                linkWriter.Write(recordId, l.PersonId, l.Method, l.Weight, string.Empty, explanationIds.IdOf(l.Explanation));
            }

            foreach (var id in membersIn.Order())
            {
                memberWriter.Write(members[id].HouseholdNo, id, members[id].Relation);
            }

            personWriter.Complete();
            explanationWriter.Complete();
            linkWriter.Complete();
            memberWriter.Complete();
        }

        var householdChanges = new List<(long PersonId, string? HouseholdNo)>();
        foreach (var id in changed)
        {
            var was = storedPersons.TryGetValue(id, out var w) ? w : null;
            var next = persons.TryGetValue(id, out var n) ? n : null;
            if (was is not null)
            {
                householdChanges.Add((id, was.HouseholdNo));
            }

            if (next is not null && (was is null || next.HouseholdNo != was.HouseholdNo))
            {
                householdChanges.Add((id, next.HouseholdNo));
            }
        }

        var count = PersonChanges.Write(connection, tx, householdChanges, everything: storedPersons.Count == 0, now);
        return new SavedRows(personsIn.Count, linksIn.Count, membersIn.Count, count);
    }

    private static Dictionary<long, (long PersonId, string Method, double Weight, string Explanation)> ReadLinks(DbConnection connection, DbTransaction tx)
    {
        var links = new Dictionary<long, (long PersonId, string Method, double Weight, string Explanation)>();
        foreach (var (recordId, personId, method, weight, explanation) in connection.Query<(long, long, string, double, string)>(
            $"SELECT pr.record_id, pr.person_id, pr.method, pr.weight, {LinkExplanations.Json("pr")} FROM person_record pr {LinkExplanations.Join("pr")}", transaction: tx, buffered: false))
        {
            links[recordId] = (personId, method, weight, explanation);
        }

        return links;
    }

    private static void Delete(DbConnection connection, DbTransaction tx, string table, string column, IEnumerable<long> ids)
    {
        foreach (var chunk in ids.Chunk(500))
        {
            connection.Execute($"DELETE FROM {table} WHERE {column} IN {SqlLists.Ids(chunk)}", transaction: tx);
        }
    }

    private static void WritePerson(BulkWriter writer, long id, PersonRow r) =>
        writer.Write(id, r.FamilyName, r.GivenName, r.FamilyKana, r.GivenKana, r.BirthDate, r.Sex, r.Address, r.AtenaNo, r.HouseholdNo, r.IsChild);

    /// <summary>
    /// The person row as it is stored: derived data shown to staff, with readings in full-width katakana whatever the
    /// source wrote (ｻﾄｳ, さとう; the originals stay untouched in source_record), and whether the person is a child on
    /// the reference date.
    /// </summary>
    private static PersonRow RowOf(LinkRecord r, DateOnly referenceDate) => new(
        r.Name.Family, r.Name.Given, DisplayKana(r.Name.FamilyKana), DisplayKana(r.Name.GivenKana),
        r.BirthDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.Sex switch { Sex.Male => "M", Sex.Female => "F", _ => null },
        r.Address, r.AtenaNo, r.IsRegistry ? r.HouseholdNo : null, r.BirthDate is { } b && b.AddYears(18) > referenceDate ? 1L : 0L);

    private sealed record PersonRow(
        string? FamilyName, string? GivenName, string? FamilyKana, string? GivenKana, string? BirthDate, string? Sex, string? Address, string? AtenaNo, string? HouseholdNo, long IsChild);

    private sealed record StoredPerson(
        long PersonId, string? FamilyName, string? GivenName, string? FamilyKana, string? GivenKana, string? BirthDate, string? Sex, string? Address, string? AtenaNo, string? HouseholdNo, long IsChild)
    {
        public PersonRow Row => new(FamilyName, GivenName, FamilyKana, GivenKana, BirthDate, Sex, Address, AtenaNo, HouseholdNo, IsChild);
    }

    /// <summary>Each person's keys: its records' keys and the 宛名番号 of its registry records (not those of a later number a return joined).</summary>
    private static Dictionary<int, IReadOnlyCollection<string>> KeysOf(LinkResult result, Dictionary<long, (string Key, string? RegistryAtena)> keys)
    {
        var keysOf = new Dictionary<int, HashSet<string>>();
        foreach (var p in result.Persons)
        {
            keysOf[p.Index] = new HashSet<string>(StringComparer.Ordinal);
        }

        foreach (var a in result.Assignments)
        {
            if (keys.TryGetValue(a.RecordId, out var k))
            {
                var set = keysOf[a.Person];
                set.Add(k.Key);
                // A later number joined to a returning resident's earlier one does not vote: the person keeps the id
                // of the earlier number, and the later number's id, if it had one, is recorded as merged into it.
                if (k.RegistryAtena is { } atena && a.Method != ReturnedResidents.Method)
                {
                    set.Add(RecordKeys.Atena(atena));
                }
            }
        }

        return keysOf.ToDictionary(kv => kv.Key, kv => (IReadOnlyCollection<string>)kv.Value);
    }

    private static string DisplayKana(string kana) => Kernel.Text.JapaneseText.ToKatakana(Kernel.Text.JapaneseText.FoldWidth(kana));

    private sealed record RecordRow(
        long RecordId, string Source, string Category, string? AtenaNo, string? HouseholdNo, string? Relation, string? FamilyName, string? GivenName,
        string? FamilyKana, string? GivenKana, string? BirthDate, string? Sex, string? Address, string? LocalId, string? BirthFrom, string? BirthTo);
}
