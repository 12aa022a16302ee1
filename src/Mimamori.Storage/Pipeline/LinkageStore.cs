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

    private const string RecordColumns = """
        SELECT r.record_id AS RecordId, r.source AS Source, r.category AS Category, r.atena_no AS AtenaNo, r.household_no AS HouseholdNo,
               r.relation AS Relation, r.family_name AS FamilyName, r.given_name AS GivenName, r.family_kana AS FamilyKana,
               r.given_kana AS GivenKana, r.birth_date AS BirthDate, r.sex AS Sex, r.address AS Address, r.local_id AS LocalId,
               r.birth_from AS BirthFrom, r.birth_to AS BirthTo
        """;

    /// <summary>The identity fields of every record of the current imports (a superseded snapshot no longer counts).</summary>
    public static IReadOnlyList<LinkRecord> LoadRecords(MimamoriDatabase database)
    {
        using var connection = database.Open();
        return connection.Query<RecordRow>(
            RecordColumns + """

            FROM source_record r JOIN import_batch b ON b.batch_id = r.batch_id
            WHERE b.status IN ('current', 'delta')
            ORDER BY r.record_id
            """,
            buffered: false).Select(ToLinkRecord).ToList();
    }

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
        var records = new List<LinkRecord>();
        var dates = new Dictionary<string, DateOnly>(StringComparer.Ordinal);

        // Reading is one thread stepping one statement; the keys (a hash of each record's identity) are computed on the
        // other cores while it goes on, a chunk of rows at a time, rather than after the last row.
        var hashing = new List<Task<(string Key, string? RegistryAtena)[]>>();
        var chunk = new List<(LinkRecord Record, string? LocalId, string? BirthDate, string? Sex)>(KeyChunk);
        using (var connection = database.OpenForBulk())
        using (var rows = new TextRows(connection, RecordColumns + """

                FROM source_record r JOIN import_batch b ON b.batch_id = r.batch_id
                WHERE b.status IN ('current', 'delta')
                ORDER BY r.record_id
                """))
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

        hashing.Add(KeysOfChunk(chunk.ToArray()));
        var keys = new Dictionary<long, (string, string?)>(records.Count);
        var i = 0;
        foreach (var part in hashing)
        {
            foreach (var key in part.Result)
            {
                keys[records[i++].RecordId] = key;
            }
        }

        return (records, keys);
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
    public static IdentityOutcome Save(MimamoriDatabase database, LinkResult result, DateOnly referenceDate, DateTimeOffset now, Dictionary<long, (string Key, string? RegistryAtena)> keys)
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

        // What the persons were, to record which of them this link changes (detect and outreach reassess only those).
        var personsBefore = PersonChanges.Read(connection, tx);

        // The secondary indexes are rebuilt once after the load rather than kept up row by row.
        connection.Execute("DELETE FROM person_record; DELETE FROM link_explanation; DELETE FROM household_member; DELETE FROM person; DROP INDEX ix_person_record_person; DROP INDEX ix_person_household; DROP INDEX ix_household_member_household; DROP INDEX ix_household_member_person;", transaction: tx);
        using (var persons = new BulkWriter(connection, tx, "person", ["person_id", "family_name", "given_name", "family_kana", "given_kana", "birth_date", "sex", "address", "atena_no", "household_no", "is_child"]))
        using (var explanations = new BulkWriter(connection, tx, "link_explanation", ["explanation_id", "json"]))
        using (var links = new BulkWriter(connection, tx, "person_record", ["record_id", "person_id", "method", "weight", "explanation", "explanation_id"]))
        using (var members = new BulkWriter(connection, tx, "household_member", ["household_no", "person_id", "relation"]))
        {
            foreach (var p in result.Persons)
            {
                var r = p.Representative;
                var id = mapping.IdOf[p.Index];
                var isChild = r.BirthDate is { } b && b.AddYears(18) > referenceDate ? 1L : 0L;
                // The person row is derived data shown to staff: readings in full-width katakana whatever the source
                // wrote (ｻﾄｳ, さとう). The originals stay untouched in source_record.
                persons.Write(
                    id, r.Name.Family, r.Name.Given, DisplayKana(r.Name.FamilyKana), DisplayKana(r.Name.GivenKana),
                    r.BirthDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.Sex switch { Sex.Male => "M", Sex.Female => "F", _ => null },
                    r.Address, r.AtenaNo, r.IsRegistry ? r.HouseholdNo : null, isChild);
                if (r.IsRegistry && !string.IsNullOrEmpty(r.HouseholdNo))
                {
                    members.Write(r.HouseholdNo, id, r.Relation ?? string.Empty);
                }
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
        }

        connection.Execute("CREATE INDEX ix_person_record_person ON person_record (person_id); CREATE INDEX ix_person_household ON person (household_no); CREATE INDEX ix_household_member_household ON household_member (household_no); CREATE INDEX ix_household_member_person ON household_member (person_id);", transaction: tx);

        PersonChanges.Write(connection, tx, personsBefore, PersonChanges.Digest(result.Assignments.Select(a => (a.RecordId, mapping.IdOf[a.Person]))), now);
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
            applied.Merged + applied.Split, applied.Contradicted, result.Review.Count);
    }

    /// <summary>Each person's keys: its records' keys and the 宛名番号 of its registry records.</summary>
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
                if (k.RegistryAtena is { } atena)
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
